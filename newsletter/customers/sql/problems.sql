-- Every problem of every row, one row per problem, the first {cap} of each kind kept with
-- how many there were. Reads `parsed` (records.sql). `ord` keeps a row's problems in the
-- order the README lists the fields.
WITH found AS (
    SELECT _fileno, _file, _line, 0 AS ord, 'skip' AS field, CASE WHEN id IS NULL OR name IS NULL THEN 'missing' ELSE 'duplicate' END AS code,
           id AS got, CAST(id IS NULL AS INTEGER) AS a, CAST(name IS NULL AS INTEGER) AS b,
           _first_file AS first_file, _first_line AS first_line
    FROM parsed WHERE _skip
    UNION ALL
    SELECT _fileno, _file, _line, p.ord, p.field, p.code, p.got, NULL, NULL, NULL, NULL FROM (
        SELECT _fileno, _file, _line,
               UNNEST([
                   {{'ord': 1, 'field': 'email', 'code': email_p, 'got': email_raw}},
                   {{'ord': 2, 'field': 'locale', 'code': locale_p, 'got': locale_raw}},
                   {{'ord': 3, 'field': 'since', 'code': since_p, 'got': since_raw}},
                   {{'ord': 4, 'field': 'purchases_per_year', 'code': purchases_per_year_p, 'got': purchases_per_year_raw}},
                   {{'ord': 5, 'field': 'average_order_value', 'code': average_order_value_p, 'got': average_order_value_raw}},
                   {{'ord': 6, 'field': 'expected_years', 'code': expected_years_p, 'got': expected_years_raw}},
                   {{'ord': 7, 'field': 'nps', 'code': nps_p, 'got': nps_raw}},
                   {{'ord': 8, 'field': 'consent_granted', 'code': consent_granted_p, 'got': consent_granted_raw}},
                   {{'ord': 9, 'field': 'consent_expires', 'code': consent_expires_p, 'got': consent_expires_raw}},
                   {{'ord': 10, 'field': 'benefits_issued', 'code': benefits_issued_p, 'got': benefits_issued_raw}},
                   {{'ord': 11, 'field': 'benefits_redeemed', 'code': benefits_redeemed_p, 'got': benefits_redeemed_raw}},
                   {{'ord': 12, 'field': 'onboarding_progress', 'code': onboarding_progress_p, 'got': onboarding_progress_raw}},
                   {{'ord': 13, 'field': 'marketing_opt_in', 'code': marketing_opt_in_p, 'got': marketing_opt_in_raw}},
                   {{'ord': 14, 'field': 'audience', 'code': audience_p, 'got': cell(audience_raw)}},
                   {{'ord': 15, 'field': 'tier', 'code': tier_p, 'got': cell(tier_raw)}},
                   {{'ord': 16, 'field': 'benefits_redeemed', 'code': CASE WHEN benefits_redeemed > benefits_issued THEN 'redeemed' END,
                     'got': CAST(benefits_redeemed AS VARCHAR) || '/' || CAST(benefits_issued AS VARCHAR)}},
                   {{'ord': 17, 'field': 'consent_expires', 'code': CASE WHEN consent_expires < consent_granted THEN 'order' END, 'got': NULL}}
               ]) AS p
        FROM parsed
        WHERE NOT _skip
          AND coalesce(email_p, locale_p, since_p, purchases_per_year_p, average_order_value_p,
                       expected_years_p, nps_p, consent_granted_p, consent_expires_p,
                       benefits_issued_p, benefits_redeemed_p, onboarding_progress_p,
                       marketing_opt_in_p, audience_p, tier_p,
                       CASE WHEN benefits_redeemed > benefits_issued THEN 'redeemed' END,
                       CASE WHEN consent_expires < consent_granted THEN 'order' END) IS NOT NULL
    ) WHERE p.code IS NOT NULL
), ranked AS (
    SELECT *, row_number() OVER (PARTITION BY _fileno, field, code ORDER BY _line, ord) AS nth,
           count(*) OVER (PARTITION BY _fileno, field, code) AS total
    FROM found
)
SELECT _fileno, _file, _line, ord, field, code, got, a, b, first_file, first_line, nth, total
FROM ranked
WHERE nth <= {cap} + 1
ORDER BY _fileno, _line, ord
