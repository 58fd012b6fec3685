// Writes schemas/budget-extract.schema.json from the zod model (src/model.ts) with zod 4's
// z.toJSONSchema, and schemas/budget-extract.xsd (src/output/xsd.ts) for the XML, through the compiled dist/output/schema.js (built first, so it is never stale).
// Usage: npm run schema   (tests/schema.test.ts fails when the committed file is out of date)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) console.error('gen-schema: tsc reported errors (see above); using what it emitted');

const { renderJsonSchema, renderCompareJsonSchema } = await import('../dist/output/schema.js');
const { renderXsd } = await import('../dist/output/xsd.js');
for (const [name, text] of [['budget-extract.schema.json', renderJsonSchema()], ['compare.schema.json', renderCompareJsonSchema()], ['budget-extract.xsd', renderXsd()]]) {
  const out = new URL(`../schemas/${name}`, import.meta.url);
  const before = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : null;
  fs.mkdirSync(new URL('.', out), { recursive: true });
  fs.writeFileSync(out, text);
  console.log(`${fileURLToPath(out)}: ${before === text ? 'unchanged' : 'written'}`);
}
