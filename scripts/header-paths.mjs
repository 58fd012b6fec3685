#!/usr/bin/env node
// Collects every column layout the reader builds over a set of PDFs (default: the real
// disclosures in ../shared/corpus/real) and writes them, text only, to
// fixtures/header-paths.json: per distinct layout the table id and title, each column's kind
// and header path, and the field it maps to. tests/header-paths.test.ts replays the mapping
// on that list, so a change to the header vocabulary shows up as a diff of reviewed fields.
//
//   node scripts/header-paths.mjs [DIR] [--check]
//
// --check: print the layouts whose fields differ from the committed list instead of writing.
import fs from 'node:fs';
import path from 'node:path';
import { loadPdf } from '../dist/pdf/load.js';
import { extractTables, pageLines } from '../dist/tables/index.js';

const args = process.argv.slice(2);
const check = args.includes('--check');
const dir = args.find((a) => !a.startsWith('--')) ?? '../shared/corpus/real';
const out = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'fixtures', 'header-paths.json');

const files = fs.readdirSync(dir).filter((f) => f.endsWith('.pdf')).sort();
const seen = new Map();
for (const f of files) {
  let doc;
  try {
    doc = await loadPdf(new Uint8Array(fs.readFileSync(path.join(dir, f))), {});
  } catch {
    continue;
  }
  const { layouts } = extractTables(doc.pages, pageLines(doc.pages));
  for (const t of layouts) {
    for (const l of t.layouts) {
      if (!l.kinds.includes('amount') || l.inherited) continue;
      const entry = { file: f, page: l.page, id: t.id, title: t.title, kinds: l.kinds, headers: l.headers, fields: l.fields };
      const key = JSON.stringify([t.id, t.title.replace(/\d{4}/g, ''), l.kinds, l.headers]);
      if (!seen.has(key)) seen.set(key, entry);
    }
  }
}
const list = [...seen.values()];
if (check) {
  const old = new Map(JSON.parse(fs.readFileSync(out, 'utf8')).map((e) => [JSON.stringify([e.id, e.title, e.kinds, e.headers]), e]));
  for (const e of list) {
    const o = old.get(JSON.stringify([e.id, e.title, e.kinds, e.headers]));
    if (!o) console.log(`new: ${e.file} p${e.page} ${e.id}: ${e.headers.join(' | ')}`);
    else if (JSON.stringify(o.fields) !== JSON.stringify(e.fields)) console.log(`changed: ${e.file} p${e.page} ${e.id}: ${JSON.stringify(o.fields)} -> ${JSON.stringify(e.fields)}`);
  }
} else {
  fs.writeFileSync(out, '[\n' + list.map((e) => JSON.stringify(e)).join(',\n') + '\n]\n');
  console.log(`${list.length} layouts from ${files.length} files written to ${path.relative(process.cwd(), out)}`);
}
