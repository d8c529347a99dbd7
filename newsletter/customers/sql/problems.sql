-- Every problem of every row, one row per problem, the first {cap} of each kind kept with
-- how many there were. Reads `parsed` (records.sql), and `raw` for what the cells said, on
-- the rows with a problem only. `ord` keeps a row's problems in the order the README lists
-- the fields (the order of records.sql's `_problems`).
WITH bad AS (
    SELECT _fileno, _file, _line, _problems, benefits_redeemed, benefits_issued
    FROM parsed
    WHERE _problems IS NOT NULL AND NOT _skip
), found AS (
    SELECT _fileno, _file, _line, 0 AS ord, 'skip' AS field, CASE WHEN id IS NULL OR name IS NULL THEN 'missing' ELSE 'duplicate' END AS code,
           id AS got, CAST(id IS NULL AS INTEGER) AS a, CAST(name IS NULL AS INTEGER) AS b,
           _first_file AS first_file, _first_line AS first_line
    FROM parsed WHERE _skip
    UNION ALL
    SELECT b._fileno, b._file, b._line, n.i AS ord,
           ['email', 'locale', 'since', 'purchases_per_year', 'average_order_value', 'expected_years',
            'nps', 'consent_granted', 'consent_expires', 'benefits_issued', 'benefits_redeemed',
            'onboarding_progress', 'marketing_opt_in', 'audience', 'tier', 'benefits_redeemed',
            'consent_expires', 'lifetime_value'][n.i] AS field,
           b._problems[n.i] AS code,
           CASE n.i WHEN 1 THEN r.f_email WHEN 2 THEN r.f_locale WHEN 3 THEN r.f_since
                    WHEN 4 THEN r.f_purchases_per_year WHEN 5 THEN r.f_average_order_value
                    WHEN 6 THEN r.f_expected_years WHEN 7 THEN r.f_nps WHEN 8 THEN r.f_consent_granted
                    WHEN 9 THEN r.f_consent_expires WHEN 10 THEN r.f_benefits_issued
                    WHEN 11 THEN r.f_benefits_redeemed WHEN 12 THEN r.f_onboarding_progress
                    WHEN 13 THEN r.f_marketing_opt_in WHEN 14 THEN cell(r.f_audience) WHEN 15 THEN cell(r.f_tier)
                    WHEN 16 THEN CAST(b.benefits_redeemed AS VARCHAR) || '/' || CAST(b.benefits_issued AS VARCHAR)
                    WHEN 18 THEN cell(r.f_purchases_per_year) || ' x ' || cell(r.f_average_order_value)
                                 || ' x ' || cell(r.f_expected_years)
           END AS got,
           NULL, NULL, NULL, NULL
    FROM bad AS b
    JOIN raw AS r ON r._fileno = b._fileno AND r._line = b._line
    CROSS JOIN range(1, 19) AS n(i)
    WHERE b._problems[n.i] IS NOT NULL
), ranked AS (
    SELECT *, row_number() OVER (PARTITION BY _fileno, field, code ORDER BY _line, ord) AS nth,
           count(*) OVER (PARTITION BY _fileno, field, code) AS total
    FROM found
)
SELECT _fileno, _file, _line, ord, field, code, got, a, b, first_file, first_line, nth, total
FROM ranked
WHERE nth <= {cap} + 1
ORDER BY _fileno, _line, ord
