// Render Handlebars templates with the real handlebars.js, for the Python tests.
// Input on stdin: one {template, data} object, or a JSON array of them.
// Output: for one object, the rendered text; for an array, a JSON array of
// {output} or {error} (so one template that does not compile fails only its own case).
import Handlebars from 'handlebars';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));

function render(job) {
  return Handlebars.compile(job.template)(job.data || {});
}

if (Array.isArray(input)) {
  const results = input.map((job) => {
    try {
      return { output: render(job) };
    } catch (e) {
      return { error: String(e.message || e) };
    }
  });
  process.stdout.write(JSON.stringify(results));
} else {
  process.stdout.write(render(input));
}
