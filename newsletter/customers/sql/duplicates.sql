-- Later rows with an id used before (by a row with an id and a name) are skipped, each with
-- the row that used the id first (the one kept). Updates `parsed` (records.sql): duplicates
-- are few, so only their rows are rewritten, and the first use is looked for among them
-- only (a count per id is a third of the cost of finding every id's first row).
UPDATE parsed
SET _skip = TRUE, _first_file = f.first_file, _first_line = f.first_line
FROM (
    SELECT id, arg_min(_file, _order) AS first_file, arg_min(_line, _order) AS first_line,
           min(_order) AS first_order
    FROM parsed
    WHERE NOT _skip AND id IN (SELECT id FROM parsed WHERE NOT _skip GROUP BY id HAVING count(*) > 1)
    GROUP BY id
) AS f
WHERE parsed.id = f.id AND NOT parsed._skip AND parsed._order <> f.first_order;
