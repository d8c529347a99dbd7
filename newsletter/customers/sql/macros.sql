-- Scalar helpers for reading raw export cells (DuckDB). DuckDB inlines a macro into each
-- query that uses it; each mirrors one rule of the README's "The export".

-- Python's str.strip(): every Unicode space, not only ' '. Most cells have none at either
-- end, which one regex search says quickly; only the other cells are rewritten.
CREATE OR REPLACE TEMP MACRO ptrim(s) AS
    CASE WHEN regexp_matches(s, '^[\s\x{0b}\x{1c}-\x{1f}\x{85}\p{Z}]|[\s\x{0b}\x{1c}-\x{1f}\x{85}\p{Z}]$')
         THEN regexp_replace(s, '^[\s\x{0b}\x{1c}-\x{1f}\x{85}\p{Z}]+|[\s\x{0b}\x{1c}-\x{1f}\x{85}\p{Z}]+$', '', 'g') ELSE s END;
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
-- An exact decimal written the way Python's Decimal writes it, from its digits as text and
-- its scale: 884000, 2 -> 8840.00; 5, 2 -> 0.05.
CREATE OR REPLACE TEMP MACRO decimal_text(t, s) AS
    CASE WHEN (s) = 0 THEN t
         WHEN length(t) > (s) THEN left(t, CAST(length(t) - (s) AS INTEGER)) || '.' || right(t, CAST((s) AS INTEGER))
         ELSE '0.' || lpad(t, CAST((s) AS INTEGER), '0') END;
-- Python's re.fullmatch(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+").
CREATE OR REPLACE TEMP MACRO is_email(s) AS
    regexp_full_match(s, '[^@\s\x{0b}\x{1c}-\x{1f}\x{85}\p{Z}<>"]+@[^@\s\x{0b}\x{1c}-\x{1f}\x{85}\p{Z}<>"]+\.[^@\s\x{0b}\x{1c}-\x{1f}\x{85}\p{Z}<>"]+');
-- How names are matched (case and spaces ignored), for names whose every character lower()
-- folds exactly as Python's NFKC + casefold does: ASCII, Latin-1 and Latin Extended-A
-- letters (but not ß, İ, the ligatures and ſ), Cyrillic and the CJK ideographs. NULL for
-- other names, which Python keys (tests/test_customers_engine.py checks every character).
-- Most names are words of those letters (no control character) with one space between them:
-- they are keyed by lower() alone, without the slower trimming and joining of spaces.
CREATE OR REPLACE TEMP MACRO sql_key(s) AS
    CASE WHEN regexp_full_match(s, '[\x{21}-\x{7f}\x{c0}-\x{d6}\x{d8}-\x{de}\x{e0}-\x{f6}\x{f8}-\x{12f}\x{131}\x{134}-\x{13e}\x{141}-\x{148}\x{14a}-\x{17e}\x{400}-\x{4ff}\x{4e00}-\x{9fff}]+( [\x{21}-\x{7f}\x{c0}-\x{d6}\x{d8}-\x{de}\x{e0}-\x{f6}\x{f8}-\x{12f}\x{131}\x{134}-\x{13e}\x{141}-\x{148}\x{14a}-\x{17e}\x{400}-\x{4ff}\x{4e00}-\x{9fff}]+)*')
         THEN lower(s)
         WHEN regexp_full_match(s, '[\x{00}-\x{7f}\x{c0}-\x{d6}\x{d8}-\x{de}\x{e0}-\x{f6}\x{f8}-\x{12f}\x{131}\x{134}-\x{13e}\x{141}-\x{148}\x{14a}-\x{17e}\x{400}-\x{4ff}\x{4e00}-\x{9fff}]*')
         THEN lower(regexp_replace(ptrim(s), '[\s\x{0b}\x{1c}-\x{1f}]+', ' ', 'g')) END;
-- A date in one of the formats (ISO first, which a plain cast reads fastest).
CREATE OR REPLACE TEMP MACRO iso_date(s) AS
    CASE WHEN regexp_full_match(s, '\d{4}-\d{2}-\d{2}') THEN TRY_CAST(s AS DATE) END;
