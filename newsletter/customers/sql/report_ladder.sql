-- The ladder with exact totals (lifetime values summed as decimals, as written in the export).
-- Reads `profiles`; the scale is the largest number of decimals among the values summed.
SELECT computed_tier AS tier,
       count(*) AS customers,
       sum(CAST(ltv_text AS DECIMAL(38, 10))) AS total,
       max(CASE WHEN contains(ltv_text, '.') THEN length(ltv_text) - strpos(ltv_text, '.') ELSE 0 END) AS scale
FROM profiles
GROUP BY computed_tier
