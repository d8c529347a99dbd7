-- One row (a JSON object once written) per customer for `newsletter customers --format json`, in report order:
-- higher tiers first, then the most valuable, then by name. No email address.
-- {rank} is the tier's place on the ladder, {money} the lifetime value as the locale writes it;
-- `last_featured` (key, issue) is the ledger's latest feature per matched name.
SELECT p.id AS id, p.name AS name, p.company AS company, p.audience AS audience,
       p._file || ':' || CAST(p._line AS VARCHAR) AS source, p.computed_tier AS tier,
       p.nps AS nps, p.nps_group AS nps_group, round(p.years, 2) AS years,
       p.ltv_text AS lifetime_value, {money} AS lifetime_value_text,
       p.unused_benefits AS unused_benefits, p.onboarding_behind AS onboarding_behind,
       f.issue AS last_featured
FROM profiles AS p
LEFT JOIN last_featured AS f ON f.key = p.name_key
ORDER BY {rank} DESC, coalesce(p.ltv, 0) DESC, p.name, p._order
