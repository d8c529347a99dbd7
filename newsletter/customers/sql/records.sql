-- Typed records from the raw cells of every export (table `raw`: _fileno, _file, _line,
-- _blank, one VARCHAR column f_<field> per field of ours and _plain), in one streaming pass:
-- no step is materialised and no raw cell is copied, so a million rows stay in memory.
-- Rows that are plainly fine (_plain, queries.plain_sql: every cell in its common shape) are
-- cast directly by the last SELECT, to the values the long way gives them (a third of the
-- cost); the CTEs check every cell of the other rows.
-- {{sep}}, {{misplaced}}, {{mark}}, {{dates_*}}, {{yes}} and {{no}} come from [customers] settings.
-- Rows without an id or name are `_skip`ped here; later rows with an id used before are
-- marked by duplicates.sql. `_problems` lists each field's problem code (NULL: fine or
-- empty), in problems.sql's order, on the few rows that have one; problems.sql reads the
-- raw cells of those rows only. Not a TEMP table: the cache is written from it on a cursor of
-- its own (Engine._store_aside), and a cursor sees only the database's tables.
CREATE OR REPLACE TABLE parsed AS
WITH trimmed AS (
    -- Each cell trimmed once: later steps read these columns instead of repeating the work.
    SELECT _fileno, _file, _line,
           cell(f_id) AS id, cell(f_name) AS name,
           cell(f_company) AS company, cell(f_first_name) AS first_name,
           cell(f_audience) AS audience, cell(f_tier) AS tier,
           cell(f_email) AS email_text, cell(f_locale) AS locale_cell,
           cell(f_since) AS since_text, cell(f_consent_granted) AS granted_text,
           cell(f_consent_expires) AS expires_text,
           cell(f_purchases_per_year) AS ppy_c, cell(f_average_order_value) AS aov_c,
           cell(f_expected_years) AS ey_c, cell(f_nps) AS nps_c, cell(f_benefits_issued) AS bi_c,
           cell(f_benefits_redeemed) AS br_c, cell(f_onboarding_progress) AS op_c,
           cell(f_marketing_opt_in) AS opt_c
    FROM raw
    WHERE NOT _blank AND NOT _plain
), cells AS (
    SELECT * EXCLUDE (locale_cell, ppy_c, aov_c, ey_c, nps_c, bi_c, br_c, op_c, opt_c),
           replace(locale_cell, '_', '-') AS locale_text,
           num_text(ppy_c) AS ppy_t, num_text(aov_c) AS aov_t, num_text(ey_c) AS ey_t,
           num_text(nps_c) AS nps_t, num_text(bi_c) AS bi_t, num_text(br_c) AS br_t,
           num_text(replace(op_c, '%', '')) AS op_t, lower(opt_c) AS opt_text
    FROM trimmed
), norms AS (
    SELECT *,
           num_norm(ppy_t, '{sep}', '{mark}') AS ppy_n, num_norm(aov_t, '{sep}', '{mark}') AS aov_n,
           num_norm(ey_t, '{sep}', '{mark}') AS ey_n, num_norm(nps_t, '{sep}', '{mark}') AS nps_n,
           num_norm(bi_t, '{sep}', '{mark}') AS bi_n, num_norm(br_t, '{sep}', '{mark}') AS br_n,
           num_norm(op_t, '{sep}', '{mark}') AS op_n,
           CAST({dates_since} AS DATE) AS since_d,
           CAST({dates_granted} AS DATE) AS granted_d,
           CAST({dates_expires} AS DATE) AS expires_d,
           is_email(email_text) AS email_ok,
           a.id IS NOT NULL AS audience_ok, t.name IS NOT NULL AS tier_ok, l.tag IS NOT NULL AS locale_ok
    FROM cells
    LEFT JOIN known_audiences AS a ON a.id = cells.audience
    LEFT JOIN known_tiers AS t ON t.name = cells.tier
    LEFT JOIN good_locales AS l ON l.tag = cells.locale_text
), numbers AS (
    SELECT *,
           num_problem(ppy_t, ppy_n, '{misplaced}') AS ppy_p, num_problem(aov_t, aov_n, '{misplaced}') AS aov_p,
           num_problem(ey_t, ey_n, '{misplaced}') AS ey_p,
           num_problem(nps_t, nps_n, '{misplaced}') AS nps_p, TRY_CAST(nps_n AS DOUBLE) AS nps_v,
           num_problem(bi_t, bi_n, '{misplaced}') AS bi_p, TRY_CAST(bi_n AS DOUBLE) AS bi_v,
           num_problem(br_t, br_n, '{misplaced}') AS br_p, TRY_CAST(br_n AS DOUBLE) AS br_v,
           num_problem(op_t, op_n, '{misplaced}') AS op_p, TRY_CAST(op_n AS DOUBLE) AS op_v
    FROM norms
), ranged AS (
    -- The lifetime value's exact digits (HUGEINT: at most 38), and whether it is out of
    -- range: at 10^18 or more (no customer's; the ladder's exact totals stay within
    -- DECIMAL(38, 10) for billions of rows), or too many digits to multiply exactly.
    SELECT *,
           CASE WHEN ppy_n IS NOT NULL AND aov_n IS NOT NULL AND ey_n IS NOT NULL
                     AND ppy_p IS NULL AND aov_p IS NULL AND ey_p IS NULL
                     AND (ltv_digits IS NULL
                          OR CAST(ppy_n AS DOUBLE) * CAST(aov_n AS DOUBLE) * CAST(ey_n AS DOUBLE) >= 1e18)
                THEN 'ltv' END AS ltv_p
    FROM (SELECT *, TRY(num_digits(ppy_n) * num_digits(aov_n) * num_digits(ey_n)) AS ltv_digits FROM numbers)
), checked AS (
    SELECT _fileno, _file, _line, id, name, company, first_name,
           CASE WHEN audience_ok THEN audience END AS audience,
           CASE WHEN tier_ok THEN tier END AS tier,
           CASE WHEN email_ok THEN email_text END AS email,
           CASE WHEN locale_ok THEN locale_text END AS locale,
           since_d AS since,
           -- Out of range, the three numbers are ignored with it: the lifetime value is unknown.
           CASE WHEN ppy_p IS NULL AND ltv_p IS NULL THEN CAST(ppy_n AS DOUBLE) END AS purchases_per_year,
           CASE WHEN aov_p IS NULL AND ltv_p IS NULL THEN CAST(aov_n AS DOUBLE) END AS average_order_value,
           CASE WHEN ey_p IS NULL AND ltv_p IS NULL THEN CAST(ey_n AS DOUBLE) END AS expected_years,
           CASE WHEN ppy_p IS NULL AND aov_p IS NULL AND ey_p IS NULL AND ltv_p IS NULL
                THEN decimal_text(CAST(ltv_digits AS VARCHAR), num_scale(ppy_n) + num_scale(aov_n) + num_scale(ey_n))
           END AS ltv_text,
           CASE WHEN nps_p IS NULL AND nps_v = floor(nps_v) AND nps_v <= 10 THEN CAST(nps_v AS INTEGER) END AS nps,
           granted_d AS consent_granted, expires_d AS consent_expires,
           CASE WHEN bi_p IS NULL AND bi_v = floor(bi_v) THEN TRY_CAST(bi_v AS BIGINT) END AS benefits_issued,
           CASE WHEN br_p IS NULL AND br_v = floor(br_v) THEN TRY_CAST(br_v AS BIGINT) END AS benefits_redeemed,
           CASE WHEN op_p IS NULL AND op_v <= 100 THEN op_v END AS onboarding_progress,
           CASE WHEN opt_text IN ({yes}) THEN TRUE WHEN opt_text IS NULL OR opt_text IN ({no}) THEN FALSE END
               AS marketing_opt_in,
           -- Problem codes, one per field (NULL: fine or empty).
           CASE WHEN email_text IS NOT NULL AND NOT email_ok THEN 'email' END AS email_p,
           CASE WHEN locale_text IS NOT NULL AND NOT locale_ok THEN 'locale' END AS locale_p,
           CASE WHEN since_text IS NOT NULL AND since_d IS NULL THEN 'date' END AS since_p,
           coalesce(nps_p, CASE WHEN nps_v <> floor(nps_v) THEN 'whole' WHEN nps_v > 10 THEN 'range10' END) AS nps_p,
           CASE WHEN granted_text IS NOT NULL AND granted_d IS NULL THEN 'date' END AS granted_p,
           CASE WHEN expires_text IS NOT NULL AND expires_d IS NULL THEN 'date' END AS expires_p,
           ppy_p, aov_p, ey_p,
           coalesce(bi_p, CASE WHEN bi_v <> floor(bi_v) THEN 'whole' END) AS bi_p,
           coalesce(br_p, CASE WHEN br_v <> floor(br_v) THEN 'whole' END) AS br_p,
           coalesce(op_p, CASE WHEN op_v > 100 THEN 'range100' END) AS op_p,
           CASE WHEN opt_text IS NOT NULL AND opt_text NOT IN ({yes}) AND opt_text NOT IN ({no}) THEN 'yesno' END
               AS opt_p,
           CASE WHEN audience IS NOT NULL AND NOT audience_ok THEN 'audience' END AS audience_p,
           CASE WHEN tier IS NOT NULL AND NOT tier_ok THEN 'tier' END AS tier_p,
           ltv_p
    FROM ranged
)
SELECT _fileno * 1099511627776 + _line AS _order, _fileno, _file, _line,
       id, name, sql_key(name) AS name_key, company, email, first_name, locale, audience, since,
       purchases_per_year, average_order_value, expected_years, ltv_text, nps, tier,
       consent_granted, consent_expires, benefits_issued, benefits_redeemed, onboarding_progress,
       marketing_opt_in,
       (id IS NULL OR name IS NULL) AS _skip,
       CAST(NULL AS VARCHAR) AS _first_file, CAST(NULL AS BIGINT) AS _first_line,
       -- In the order of problems.sql's fields; the last three compare fields.
       CASE WHEN coalesce(email_p, locale_p, since_p, ppy_p, aov_p, ey_p, nps_p, granted_p, expires_p,
                          bi_p, br_p, op_p, opt_p, audience_p, tier_p, ltv_p) IS NOT NULL
                 OR benefits_redeemed > benefits_issued OR consent_expires < consent_granted
            THEN [email_p, locale_p, since_p, ppy_p, aov_p, ey_p, nps_p, granted_p, expires_p,
                  bi_p, br_p, op_p, opt_p, audience_p, tier_p,
                  CASE WHEN benefits_redeemed > benefits_issued THEN 'redeemed' END,
                  CASE WHEN consent_expires < consent_granted THEN 'order' END, ltv_p] END AS _problems
FROM checked
UNION ALL BY NAME
-- Plain rows: no cell has a space at either end or a thousands separator, dates are ISO,
-- numbers have at most six digits before the mark (so every check above passes); an empty
-- cell may be '' rather than NULL.
SELECT _fileno * 1099511627776 + _line AS _order, _fileno, _file, _line,
       f_id AS id, f_name AS name, sql_key(f_name) AS name_key, nullif(f_company, '') AS company,
       nullif(f_email, '') AS email, nullif(f_first_name, '') AS first_name,
       replace(nullif(f_locale, ''), '_', '-') AS locale, nullif(f_audience, '') AS audience,
       CAST(nullif(f_since, '') AS DATE) AS since,
       CAST(ppy AS DOUBLE) AS purchases_per_year, CAST(aov AS DOUBLE) AS average_order_value,
       CAST(ey AS DOUBLE) AS expected_years,
       decimal_text(ltv_digits, num_scale(ppy) + num_scale(aov) + num_scale(ey)) AS ltv_text,
       CAST(nullif(f_nps, '') AS INTEGER) AS nps, nullif(f_tier, '') AS tier,
       CAST(nullif(f_consent_granted, '') AS DATE) AS consent_granted,
       CAST(nullif(f_consent_expires, '') AS DATE) AS consent_expires,
       CAST(nullif(f_benefits_issued, '') AS BIGINT) AS benefits_issued,
       CAST(nullif(f_benefits_redeemed, '') AS BIGINT) AS benefits_redeemed,
       CAST(replace(nullif(f_onboarding_progress, ''), '{mark}', '.') AS DOUBLE) AS onboarding_progress,
       coalesce(lower(nullif(f_marketing_opt_in, '')) IN ({yes}), FALSE) AS marketing_opt_in,
       FALSE AS _skip, CAST(NULL AS VARCHAR) AS _first_file, CAST(NULL AS BIGINT) AS _first_line,
       CAST(NULL AS VARCHAR[]) AS _problems
FROM (SELECT *, CAST(TRY(num_digits(ppy) * num_digits(aov) * num_digits(ey)) AS VARCHAR) AS ltv_digits
      FROM (SELECT *, replace(nullif(f_purchases_per_year, ''), '{mark}', '.') AS ppy,
                   replace(nullif(f_average_order_value, ''), '{mark}', '.') AS aov,
                   replace(nullif(f_expected_years, ''), '{mark}', '.') AS ey
            FROM raw WHERE _plain));
