-- Every detractor (NPS 0-6), the most valuable first, as rows of `suggest --format json`'s
-- follow_up list. Reads `profiles` (on the month's first day) and story_ids (key, ids): the
-- stories that feature each customer, to hold back. {money} writes the lifetime value.
SELECT p.id AS id, p.name AS name, p.company AS company, p.audience AS audience,
       p.computed_tier AS tier, p.nps AS nps, p.ltv_text AS lifetime_value,
       {money} AS lifetime_value_text, p.email AS email, coalesce(s.ids, []) AS stories
FROM profiles AS p
LEFT JOIN story_ids AS s ON s.key = p.name_key
WHERE p.nps_group = 'detractor'
ORDER BY coalesce(p.ltv, 0) DESC, p.name, p._order
