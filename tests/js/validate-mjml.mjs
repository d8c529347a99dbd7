// Validate MJML documents with the reference MJML (strict), for the Python tests.
// Input on stdin: a JSON array of {name, mjml}. Output: a JSON array of {name, errors}.
import mjml2html from 'mjml';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const docs = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const results = [];
for (const doc of docs) {
  let errors = [];
  try {
    const out = await mjml2html(doc.mjml, { validationLevel: 'strict' });
    errors = out.errors.map((e) => e.formattedMessage || e.message);
  } catch (e) {
    errors = (e.errors && e.errors.length ? e.errors : [e]).map((x) => x.formattedMessage || x.message);
  }
  results.push({ name: doc.name, errors });
}
process.stdout.write(JSON.stringify(results));
