-- Net Promoter Score per audience and overall (GROUPING SETS): % promoters - % detractors,
-- customers who never answered left out. Reads `profiles` (profiles.sql).
SELECT audience,
       GROUPING(audience) AS overall,
       COUNT(CASE WHEN nps_group = 'promoter' THEN 1 END) AS promoters,
       COUNT(CASE WHEN nps_group = 'passive' THEN 1 END) AS passives,
       COUNT(CASE WHEN nps_group = 'detractor' THEN 1 END) AS detractors,
       COUNT(nps_group) AS respondents,
       CASE WHEN COUNT(nps_group) > 0
            THEN 100.0 * (COUNT(CASE WHEN nps_group = 'promoter' THEN 1 END)
                          - COUNT(CASE WHEN nps_group = 'detractor' THEN 1 END)) / COUNT(nps_group)
       END AS nps
FROM profiles
GROUP BY GROUPING SETS ((audience), ())
