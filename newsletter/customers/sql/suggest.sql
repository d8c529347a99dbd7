-- Whom to feature next month, per audience: promoters on a top tier whose consent covers the
-- month (in the data, or in a story about them) and who were not in the last few issues.
-- Higher tiers first; within a tier, never or least recently featured before the most valuable.
-- Reads `profiles` (on the month's first day) and three small tables made from the content:
-- story_consent (key, covers), recent_keys (key), last_featured_before (key, date).
-- {start}, {end}, {top_tiers}, {rank}, {per_audience} come from the month and the settings.
WITH pool AS (
    SELECT p.id, p._order, p.audience,
           row_number() OVER (
               PARTITION BY p.audience
               ORDER BY {rank} DESC, coalesce(f.date, DATE '0001-01-01'), coalesce(p.ltv, 0) DESC,
                        p.name, p._order) AS place
    FROM profiles AS p
    LEFT JOIN story_consent AS s ON s.key = p.name_key
    LEFT JOIN last_featured_before AS f ON f.key = p.name_key
    WHERE p.nps_group = 'promoter'
      AND p.computed_tier IN ({top_tiers})
      AND ((p.consent_granted IS NOT NULL AND p.consent_granted <= {start}
            AND (p.consent_expires IS NULL OR p.consent_expires >= {end}))
           OR coalesce(s.covers, FALSE))
      AND p.name_key NOT IN (SELECT key FROM recent_keys)
)
SELECT id, audience, place FROM pool WHERE place <= {per_audience} ORDER BY _order
