// Render Postmark (Mustachio) templates with the real mustache.js, for the Python tests.
// Input on stdin: a JSON array of {template, data}; output: a JSON array of {output} or {error}.
//
// Mustachio reaches an outer value inside a section as `../name`; mustache.js looks every
// name up through the enclosing sections by itself, so `{{../name}}` (and `{{#../name}}`...)
// is read as `{{name}}`. Only tag openings are rewritten: literal text never holds `{{`.
import Mustache from 'mustache';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const jobs = JSON.parse(Buffer.concat(chunks).toString('utf8'));

function render(job) {
  const template = job.template.replace(/(\{\{\{?\s*[#^/]?\s*)\.\.\//g, '$1');
  return Mustache.render(template, job.data || {});
}

process.stdout.write(JSON.stringify(jobs.map((job) => {
  try {
    return { output: render(job) };
  } catch (e) {
    return { error: String(e.message || e) };
  }
})));
