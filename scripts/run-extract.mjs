// Dev aid: run the pipeline from dist/ without the CLI (prints JSON or a coded error).
import fs from 'node:fs';
import crypto from 'node:crypto';
import { loadPdf } from '../dist/pdf/load.js';
import { extractDocument } from '../dist/extract.js';
const file = process.argv[2];
try {
  const buf = fs.readFileSync(file);
  const doc = await loadPdf(new Uint8Array(buf));
  const out = extractDocument(doc, { file, sha256: crypto.createHash('sha256').update(buf).digest('hex') });
  process.stdout.write(JSON.stringify(out, null, 1));
} catch (e) {
  console.error(`budget-extract: ${file}: ${e.message} [${e.code ?? 'internal'}]`);
  if (process.env.DEBUG) console.error(e.stack);
  process.exit(e.code ? 2 : 70);
}
