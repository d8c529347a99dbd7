-- Scalar helpers for reading raw export cells (DuckDB). Inlined by the engine, so they cost
-- nothing per call; each mirrors one rule of the README's "The export".

-- Python's str.strip(): every Unicode space, not only ' '. Most cells start and end with a
-- printable ASCII character, which two code point tests say faster than any trim.
CREATE OR REPLACE TEMP MACRO ptrim(s) AS
    CASE WHEN s = '' OR (ascii(s) BETWEEN 33 AND 126 AND ascii(right(s, 1)) BETWEEN 33 AND 126) THEN s
         ELSE trim(s, ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(28) || chr(29) || chr(30)
            || chr(31) || chr(133) || chr(160) || chr(5760) || chr(8192) || chr(8193) || chr(8194)
            || chr(8195) || chr(8196) || chr(8197) || chr(8198) || chr(8199) || chr(8200) || chr(8201)
            || chr(8202) || chr(8232) || chr(8233) || chr(8239) || chr(8287) || chr(12288)) END;
-- A cell as text, NULL when empty.
CREATE OR REPLACE TEMP MACRO cell(s) AS nullif(ptrim(s), '');
-- Digits, separators and a sign only: "R$ 1.234,50" and "1 234,50 ₽" read the same.
CREATE OR REPLACE TEMP MACRO num_text(s) AS
    CASE WHEN regexp_full_match(s, '[0-9.,\-]*') THEN s ELSE regexp_replace(s, '[^0-9.,\-]', '', 'g') END;
-- The number once separators are gone ("-?digits.digits"), NULL when it is not one.
CREATE OR REPLACE TEMP MACRO num_norm(t, sep, mark) AS
    CASE WHEN regexp_full_match(replace(replace(t, sep, ''), mark, '.'), '-?(\d+\.?\d*|\.\d+)')
         THEN replace(replace(t, sep, ''), mark, '.') END;
-- Why a number cell cannot be read: sep, nan, neg; NULL when it can. `n` is num_norm(t);
-- `misplaced` matches a thousands separator not followed by exactly three digits (a
-- constant pattern, so it is compiled once).
CREATE OR REPLACE TEMP MACRO num_problem(t, n, misplaced) AS
    CASE WHEN t IS NULL THEN NULL
         WHEN regexp_matches(t, misplaced) THEN 'sep'
         WHEN n IS NULL THEN 'nan'
         WHEN CAST(n AS DOUBLE) < 0 THEN 'neg' END;
-- Exact decimal arithmetic for lifetime values: the digits without the point, and how many
-- followed it (Python's Decimal keeps the scale: 42.50 x 26 x 8 = 8840.00).
CREATE OR REPLACE TEMP MACRO num_digits(n) AS TRY_CAST(replace(replace(n, '.', ''), '-', '') AS HUGEINT);
CREATE OR REPLACE TEMP MACRO num_scale(n) AS
    CAST(CASE WHEN contains(n, '.') THEN length(n) - strpos(n, '.') ELSE 0 END AS INTEGER);
-- An exact decimal written the way Python's Decimal writes it (digits, scale); lpad cuts
-- strings longer than its width, hence greatest().
CREATE OR REPLACE TEMP MACRO decimal_text(d, s) AS
    CASE WHEN (s) = 0 THEN CAST((d) AS VARCHAR)
         ELSE left(lpad(CAST((d) AS VARCHAR), CAST(greatest((s) + 1, length(CAST((d) AS VARCHAR))) AS INTEGER), '0'),
                   CAST(length(lpad(CAST((d) AS VARCHAR), CAST(greatest((s) + 1, length(CAST((d) AS VARCHAR))) AS INTEGER), '0')) - (s) AS INTEGER))
              || '.' || right(lpad(CAST((d) AS VARCHAR), CAST(greatest((s) + 1, length(CAST((d) AS VARCHAR))) AS INTEGER), '0'), CAST((s) AS INTEGER)) END;
-- Python's re.fullmatch(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+").
CREATE OR REPLACE TEMP MACRO is_email(s) AS
    regexp_full_match(s, '[^@\s\x{0b}\x{1c}-\x{1f}\x{85}\p{Z}<>"]+@[^@\s\x{0b}\x{1c}-\x{1f}\x{85}\p{Z}<>"]+\.[^@\s\x{0b}\x{1c}-\x{1f}\x{85}\p{Z}<>"]+');
-- How names are matched for ASCII names (Unicode ones are keyed by Python's name_key).
CREATE OR REPLACE TEMP MACRO ascii_key(s) AS
    CASE WHEN regexp_full_match(s, '[\x{00}-\x{7f}]*')
         THEN lower(regexp_replace(ptrim(s), '[\s\x{0b}\x{1c}-\x{1f}]+', ' ', 'g')) END;
-- A date in one of the formats (ISO first, which a plain cast reads fastest).
CREATE OR REPLACE TEMP MACRO iso_date(s) AS
    CASE WHEN regexp_full_match(s, '\d{4}-\d{2}-\d{2}') THEN TRY_CAST(s AS DATE) END;
