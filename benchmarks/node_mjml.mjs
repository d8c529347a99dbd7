// Time the reference MJML (Node) compiling one document, in one warm process.
// Usage: node benchmarks/node_mjml.mjs JS_DIR DOCUMENT RUNS
// JS_DIR is tests/js (where `make test` installs mjml); prints JSON {version, runs_ms}.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [jsDir, docPath, runsArg] = process.argv.slice(2);
// Resolve mjml from tests/js, not from this folder, which has no node_modules of its own.
const require = createRequire(join(resolve(jsDir), 'package.json'));
const mjml2html = (await import(pathToFileURL(require.resolve('mjml')).href)).default;
const version = JSON.parse(readFileSync(require.resolve('mjml/package.json'), 'utf8')).version;
const source = readFileSync(docPath, 'utf8');
// The same work as the Python side: no validation, no comments, no web fonts.
const options = { validationLevel: 'skip', keepComments: false, fonts: {} };

const runs = Number(runsArg || 50);
for (let i = 0; i < 5; i++) await mjml2html(source, options); // warm up the JIT and caches
const times = [];
for (let i = 0; i < runs; i++) {
  const start = process.hrtime.bigint();
  const out = await mjml2html(source, options);
  times.push(Number(process.hrtime.bigint() - start) / 1e6);
  if (!out.html) throw new Error('mjml produced no HTML');
}
process.stdout.write(JSON.stringify({ version, runs_ms: times }));
