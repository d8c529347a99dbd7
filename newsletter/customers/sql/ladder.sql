-- The loyalty ladder: customers and lifetime value per tier. Reads `profiles` (profiles.sql).
SELECT computed_tier AS tier,
       COUNT(*) AS customers,
       SUM(ltv) AS total_ltv
FROM profiles
GROUP BY computed_tier
