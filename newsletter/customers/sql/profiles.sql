-- Every customer's metrics on one day, from a table `customers` ({source}) with our field names and
-- types (README, "The export"). Portable SQL: `newsletter customers --sql DIALECT` prints it
-- for Spark SQL, BigQuery, Snowflake... with the project's settings filled in.
--   lifetime value  = purchases per year x average order value x expected years
--   NPS group       = promoter 9-10, passive 7-8, detractor 0-6, NULL without an answer
--   tier            = the first [[customers.tiers]] rule met, top-down
--   behind          = onboarding progress < threshold x progress expected by this day
--   unused benefits = benefits issued - benefits redeemed, when above zero
WITH base AS (
    SELECT c.*,
           c.purchases_per_year * c.average_order_value * c.expected_years AS ltv,
           CASE WHEN c.since IS NULL OR c.since > {today} THEN 0.0
                ELSE DATE_DIFF('day', c.since, {today}) / 365.25 END AS years,
           CASE WHEN c.since IS NULL THEN NULL ELSE DATE_DIFF('day', c.since, {today}) END AS day_number
    FROM {source} AS c
), expected AS (
    SELECT base.*, {expected_progress} AS expected_progress
    FROM base
)
SELECT expected.*,
       CASE WHEN nps >= 9 THEN 'promoter' WHEN nps >= 7 THEN 'passive'
            WHEN nps >= 0 THEN 'detractor' END AS nps_group,
       {tier} AS computed_tier,
       GREATEST(COALESCE(benefits_issued, 0) - COALESCE(benefits_redeemed, 0), 0) AS unused_benefits,
       COALESCE(expected_progress IS NOT NULL AND onboarding_progress IS NOT NULL
                AND onboarding_progress < {threshold} * expected_progress, FALSE) AS onboarding_behind,
       COALESCE(locale, {audience_locale}) AS message_locale
FROM expected
