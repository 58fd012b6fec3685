// Harvests code → printed name pairs from budget-extract JSON outputs and truth files, to
// build and cross-check src/catalogue/*.json (the 功能分类 / 经济分类 类 and 款).
// Usage: node scripts/harvest-codes.mjs DIR_OR_FILE... [--check]
//   prints one line per (kind, code, name) with the number of files printing it;
//   --check: only the pairs whose name the catalogue does not list for that code.
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const check = args.includes('--check');
const files = args.filter((a) => a !== '--check').flatMap((a) =>
  fs.statSync(a).isDirectory() ? fs.readdirSync(a).filter((f) => f.endsWith('.json')).map((f) => path.join(a, f)) : [a],
);
const ECON_TABLES = /basic|economic/;
const norm = (s) => s.replace(/\s+/g, '').replace(/\(/g, '（').replace(/\)/g, '）');
const pairs = new Map();
for (const f of files) {
  let doc;
  try {
    doc = JSON.parse(fs.readFileSync(f, 'utf8'));
  } catch {
    continue;
  }
  for (const t of doc.tables ?? []) {
    for (const r of t.rows ?? []) {
      const code = r.code;
      if (!code || !/^\d{3}(\d{2})?$/.test(code) || !r.name) continue;
      // A printed kind wins; truth files have none: the table type says.
      const kind = r.code_kind ?? (ECON_TABLES.test(t.id) ? (/^5/.test(code) ? 'gov_economic' : 'economic') : 'function');
      if (r.code_source === 'catalogue' || !['function', 'economic', 'gov_economic'].includes(kind)) continue;
      const k = `${kind}\t${code}\t${norm(r.name)}`;
      if (!pairs.has(k)) pairs.set(k, new Set());
      pairs.get(k).add(path.basename(f));
      if (r.gov_code && /^5\d{2}(\d{2})?$/.test(r.gov_code) && r.gov_name) {
        const g = `gov_economic\t${r.gov_code}\t${norm(r.gov_name)}`;
        if (!pairs.has(g)) pairs.set(g, new Set());
        pairs.get(g).add(path.basename(f));
      }
    }
  }
}
const catalogue = {};
for (const kind of ['function', 'economic', 'gov_economic']) {
  const file = new URL(`../src/catalogue/${kind}.json`, import.meta.url);
  catalogue[kind] = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : { entries: [] };
}
const known = (kind, code, name) =>
  catalogue[kind].entries.some((e) => e.code === code && [e.name, ...(e.aliases ?? []).map((a) => a.name ?? a)].map(norm).includes(name));
for (const [k, fs_] of [...pairs].sort()) {
  const [kind, code, name] = k.split('\t');
  if (check && known(kind, code, name)) continue;
  console.log(`${k}\t${fs_.size}`);
}
