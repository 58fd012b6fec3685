// The README's analyst recipes, in plain JavaScript over the long format (the records of
// `batch --csv` / `--format ndjson`): the same filters as the DuckDB and pandas queries there.
// tests/recipes.test.ts runs them against the realtruth values.
// Usage: node scripts/recipes.mjs cells.csv   → one line per file and recipe
import fs from 'node:fs';

const first = (recs) => recs[0] ?? null;
const byFile = (records) => {
  const m = new Map();
  for (const r of records) {
    if (!m.has(r.file)) m.set(r.file, []);
    m.get(r.file).push(r);
  }
  return m;
};
const SUMMARY = new Set(['budget_summary', 'final_summary']);

/** 公共安全支出 (功能分类 类 204) of each file: its 收支总表's expenditure line, code printed or
 *  given by the catalogue; the first such table of the file. value '' = printed blank. */
export function publicSecurity(records) {
  const out = new Map();
  for (const [file, recs] of byFile(records)) {
    const hit = first(recs.filter((r) => SUMMARY.has(r.table_id) && r.side === 'expenditure' && r.code === '204' && r.code_kind === 'function' && r.field === 'total'));
    if (hit) out.set(file, { value: hit.value ?? '', value_yuan: hit.value_yuan ?? '', unit: hit.unit });
  }
  return out;
}

/** 三公经费 of each file: the 合计 line of its 三公 table, 三公 小计 (`three_public`) where the
 *  table has units as rows, else `total` (决算: the 决算数). */
export function threePublic(records) {
  const out = new Map();
  for (const [file, recs] of byFile(records)) {
    const rows = recs.filter((r) => (r.table_id === 'three_public' || r.table_id === 'final_three_public') && r.row_key === '合计');
    const hit = first(rows.filter((r) => r.field === 'three_public')) ?? first(rows.filter((r) => r.field === 'total'));
    if (hit) out.set(file, { value: hit.value ?? '', value_yuan: hit.value_yuan ?? '', unit: hit.unit });
  }
  return out;
}

/** Basic vs project spending of each file: `basic` and `project` of the 合计 line of its 支出总表. */
export function basicVsProject(records) {
  const out = new Map();
  for (const [file, recs] of byFile(records)) {
    const rows = recs.filter((r) => (r.table_id === 'expenditure_summary' || r.table_id === 'final_expenditure') && (r.row_key === '合计' || r.row_key === '总计'));
    if (!rows.length) continue;
    // The first such table and line.
    const key = `${rows[0].table_title}|${rows[0].page}|${rows[0].row_key}`;
    const line = rows.filter((r) => `${r.table_title}|${r.page}|${r.row_key}` === key);
    const val = (f) => line.find((r) => r.field === f)?.value ?? null;
    out.set(file, { basic: val('basic'), project: val('project'), unit: rows[0].unit });
  }
  return out;
}

/** Records of a long-format CSV (as written by budget-extract: RFC 4180, maybe a BOM). */
export async function readCells(file) {
  const { parseCsv } = await import('../dist/output/csv.js');
  const [header, ...rows] = parseCsv(fs.readFileSync(file, 'utf8'));
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] === '' ? null : r[i]])));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const records = await readCells(process.argv[2]);
  const files = [...new Set(records.map((r) => r.file))];
  const ps = publicSecurity(records);
  const tp = threePublic(records);
  const bp = basicVsProject(records);
  for (const f of files) {
    const a = ps.get(f);
    const b = tp.get(f);
    const c = bp.get(f);
    console.log([f, a ? `${a.value || '(blank)'} ${a.unit}` : '-', b ? `${b.value || '(blank)'} ${b.unit}` : '-', c ? `${c.basic ?? '-'}/${c.project ?? '-'} ${c.unit}` : '-'].join('\t'));
  }
  const n = (m) => [...m.values()].filter((v) => v.value).length;
  console.log(`SUMMARY files ${files.length}; 公共安全支出 answered ${n(ps)} (line found ${ps.size}); 三公 answered ${n(tp)}; basic/project answered ${[...bp.values()].filter((v) => v.basic && v.project).length}`);
}
