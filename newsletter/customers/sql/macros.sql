-- Scalar helpers for reading raw export cells (DuckDB). Inlined by the engine, so they cost
-- nothing per call; each mirrors one rule of the README's "The export".

-- Python's str.strip(): every Unicode space, not only ' '.
CREATE OR REPLACE TEMP MACRO ptrim(s) AS
    regexp_replace(s, '^[\s\x{0b}\x{1c}-\x{1f}\x{85}\p{Z}]+|[\s\x{0b}\x{1c}-\x{1f}\x{85}\p{Z}]+$', '', 'g');
-- A cell as text, NULL when empty.
CREATE OR REPLACE TEMP MACRO cell(s) AS nullif(ptrim(s), '');
-- Digits, separators and a sign only: "R$ 1.234,50" and "1 234,50 ₽" read the same.
CREATE OR REPLACE TEMP MACRO num_text(s) AS regexp_replace(s, '[^0-9.,\-]', '', 'g');
-- A thousands separator is always followed by exactly three digits.
CREATE OR REPLACE TEMP MACRO bad_thousands(t, sep) AS
    regexp_matches(t, '\' || sep || '(\d{0,2}(\D|$)|\d{4})');
-- The number once separators are gone ("-?digits.digits"), NULL when it is not one.
CREATE OR REPLACE TEMP MACRO num_norm(t, sep, mark) AS
    CASE WHEN regexp_full_match(replace(replace(t, sep, ''), mark, '.'), '-?(\d+\.?\d*|\.\d+)')
         THEN replace(replace(t, sep, ''), mark, '.') END;
-- Why a number cell cannot be read: sep, nan, neg; NULL when it can.
CREATE OR REPLACE TEMP MACRO num_problem(t, sep, mark) AS
    CASE WHEN t IS NULL THEN NULL
         WHEN bad_thousands(t, sep) THEN 'sep'
         WHEN num_norm(t, sep, mark) IS NULL THEN 'nan'
         WHEN CAST(num_norm(t, sep, mark) AS DOUBLE) < 0 THEN 'neg' END;
-- Exact decimal arithmetic for lifetime values: the digits without the point, and how many
-- followed it (Python's Decimal keeps the scale: 42.50 x 26 x 8 = 8840.00).
CREATE OR REPLACE TEMP MACRO num_digits(n) AS TRY_CAST(replace(replace(n, '.', ''), '-', '') AS HUGEINT);
CREATE OR REPLACE TEMP MACRO num_scale(n) AS
    CAST(CASE WHEN contains(n, '.') THEN length(n) - strpos(n, '.') ELSE 0 END AS INTEGER);
-- An exact decimal written the way Python's Decimal writes it (digits, scale).
CREATE OR REPLACE TEMP MACRO decimal_text(d, s) AS
    CASE WHEN s = 0 THEN CAST(d AS VARCHAR)
         ELSE left(lpad(CAST(d AS VARCHAR), CAST(s + 1 AS INTEGER), '0'),
                   CAST(length(lpad(CAST(d AS VARCHAR), CAST(s + 1 AS INTEGER), '0')) - s AS INTEGER))
              || '.' || right(lpad(CAST(d AS VARCHAR), CAST(s + 1 AS INTEGER), '0'), CAST(s AS INTEGER)) END;
-- Python's re.fullmatch(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+").
CREATE OR REPLACE TEMP MACRO is_email(s) AS
    regexp_full_match(s, '[^@\s\x{0b}\x{1c}-\x{1f}\x{85}\p{Z}<>"]+@[^@\s\x{0b}\x{1c}-\x{1f}\x{85}\p{Z}<>"]+\.[^@\s\x{0b}\x{1c}-\x{1f}\x{85}\p{Z}<>"]+');
-- How names are matched for ASCII names (Unicode ones are keyed by Python's name_key).
CREATE OR REPLACE TEMP MACRO ascii_key(s) AS
    CASE WHEN regexp_full_match(s, '[\x{00}-\x{7f}]*')
         THEN lower(regexp_replace(ptrim(s), '[\s\x{0b}\x{1c}-\x{1f}]+', ' ', 'g')) END;
