#!/usr/bin/env node
// Measures the tables' quality verdicts against hand-verified truth: for every truth file of a
// folder (default ../shared/corpus/realtruth), runs budget-extract, compares each truth table
// cell by cell as ../shared/tools/score.mjs does (row key + side, then field → exact decimal;
// extra cells counted), and prints per table: cells wrong / missing / extra and the table's
// quality status with its problem codes. Summary: "false ok" (a table with a cell wrong, missing
// whose status is ok; goal 0; tables whose only fault is extra cells are counted apart) and "degraded but correct" (a fully correct table not ok).
//
//   node scripts/quality-vs-truth.mjs [--cmd "bin/budget-extract"] [--json] [DIR_OR_TRUTH...]
//
// Exit status 0 unless the script itself could not run (the figures are the result).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
let cmd = path.join(ROOT, 'bin', 'budget-extract');
let json = false;
const inputs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--cmd') cmd = args[++i];
  else if (args[i] === '--json') json = true;
  else if (args[i] === '-h' || args[i] === '--help') {
    console.log('usage: quality-vs-truth.mjs [--cmd "bin/budget-extract"] [--json] [DIR_OR_TRUTH...]');
    process.exit(0);
  } else inputs.push(args[i]);
}
if (!inputs.length) inputs.push(path.resolve(ROOT, '..', 'shared', 'corpus', 'realtruth'));

const truthFiles = inputs.flatMap((p) =>
  fs.statSync(p).isDirectory()
    ? fs.readdirSync(p).filter((f) => f.endsWith('.truth.json')).sort().map((f) => path.join(p, f))
    : [p],
);

// As score.mjs: "1,234.50" / "1234.5" / "-0" → "1234.5"; null when not a number.
export function canon(v) {
  if (v === null || v === undefined) return null;
  let s = String(v).replace(/[,\s]/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(s)) return null;
  const neg = s.startsWith('-');
  if (neg) s = s.slice(1);
  let [i, f = ''] = s.split('.');
  i = i.replace(/^0+(?=\d)/, '');
  f = f.replace(/0+$/, '');
  const out = f ? `${i}.${f}` : i;
  return neg && out !== '0' ? `-${out}` : out;
}
const norm = (s) => String(s ?? '').replace(/\s+/g, '');

/** One truth table against the output's tables (score.mjs's matching): cell counts and the table. */
export function compareTable(tt, outTables, used) {
  const overlap = (t) => (t.pages || []).filter((p) => tt.pages.includes(p)).length;
  let idx = -1;
  outTables.forEach((t, i) => {
    if (used.has(i) || t.id !== tt.id) return;
    if (idx < 0 || overlap(t) > overlap(outTables[idx])) idx = i;
  });
  const f = { cells: 0, exact: 0, wrong: 0, missing: 0, extra: 0 };
  const truthCells = tt.rows.reduce((m, r) => m + Object.keys(r.values || {}).length, 0);
  if (idx < 0) return { ...f, cells: truthCells, missing: truthCells, table: null };
  used.add(idx);
  const ot = outTables[idx];
  const orows = (ot.rows || []).map((r) => ({ ...r, _k: `${r.side ?? ''}|${norm(r.key)}` }));
  const taken = new Set();
  for (const tr of tt.rows) {
    const k = `${tr.side ?? ''}|${norm(tr.key)}`;
    const j = orows.findIndex((r, i) => !taken.has(i) && r._k === k);
    const vals = tr.values || {};
    if (j < 0) {
      const n = Object.keys(vals).length;
      f.cells += n;
      f.missing += n;
      continue;
    }
    taken.add(j);
    const ov = orows[j].values || {};
    for (const [field, v] of Object.entries(vals)) {
      f.cells++;
      const got = canon(ov[field]);
      if (got === null) f.missing++;
      else if (got === canon(v)) f.exact++;
      else f.wrong++;
    }
    for (const [field, v] of Object.entries(ov)) if (!(field in vals) && canon(v) !== null && canon(v) !== '0') f.extra++;
  }
  orows.forEach((r, i) => {
    if (!taken.has(i)) f.extra += Object.values(r.values || {}).filter((v) => canon(v) !== null && canon(v) !== '0').length;
  });
  return { ...f, table: ot };
}

const tot = { tables: 0, notFound: 0, correct: 0, incorrect: 0, falseOk: 0, falseOkExtraOnly: 0, degradedCorrect: 0, flagged: 0, status: {} };
const rows = [];
for (const tf of truthFiles) {
  const truth = JSON.parse(fs.readFileSync(tf, 'utf8'));
  if (truth.expect === 'error') continue;
  const pdf = path.join(path.dirname(tf), truth.file);
  const [bin, ...binArgs] = cmd.split(/\s+/);
  const run = spawnSync(bin, [...binArgs, pdf, '--out', 'json', '--compact'], { encoding: 'utf8', maxBuffer: 1 << 30, timeout: 300_000 });
  let out;
  try {
    if (run.status !== 0 && run.status !== 3) throw new Error(`exit ${run.status}`);
    out = JSON.parse(run.stdout);
  } catch (e) {
    console.log(`FAIL ${path.basename(tf)}: no JSON (${e.message}) ${(run.stderr || '').trim().split('\n')[0]}`);
    continue;
  }
  const outTables = (out.tables || []).slice();
  const used = new Set();
  for (const tt of truth.tables || []) {
    const r = compareTable(tt, outTables, used);
    tot.tables++;
    const bad = r.wrong + r.missing + r.extra;
    const status = r.table ? (r.table.quality?.status ?? 'none') : 'absent';
    const codes = r.table ? [...new Set((r.table.quality?.problems ?? []).map((p) => (p.code === 'check_skipped' ? `skip(${p.reason})` : p.code)))] : [];
    tot.status[status] = (tot.status[status] ?? 0) + 1;
    if (!r.table) tot.notFound++;
    if (bad) tot.incorrect++;
    else tot.correct++;
    if (r.table && r.wrong + r.missing && status === 'ok') tot.falseOk++;
    else if (r.table && bad && status === 'ok') tot.falseOkExtraOnly++;
    if (r.table && bad && status !== 'ok') tot.flagged++;
    if (r.table && !bad && status !== 'ok') tot.degradedCorrect++;
    const verdict = !r.table ? 'absent' : bad ? (status === 'ok' ? 'FALSE-OK' : 'flagged') : status === 'ok' ? 'ok' : 'DEGRADED-CORRECT';
    rows.push({ file: path.basename(tf, '.truth.json'), table: tt.id, cells: r.cells, wrong: r.wrong, missing: r.missing, extra: r.extra, status, problems: codes, verdict });
  }
}

if (json) {
  console.log(JSON.stringify({ tables: rows, summary: tot }, null, 1));
} else {
  for (const r of rows) {
    console.log(
      `${r.verdict.padEnd(16)} ${r.file} ${r.table}: cells ${r.cells}, wrong ${r.wrong}, missing ${r.missing}, extra ${r.extra}; ` +
        `quality ${r.status}${r.problems.length ? ` (${r.problems.join(', ')})` : ''}`,
    );
  }
  const st = Object.entries(tot.status).map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(
    `SUMMARY tables ${tot.tables} (${st}); ${tot.incorrect} with a cell wrong, missing or extra (${tot.notFound} not found), ${tot.correct} fully correct; ` +
      `false ok ${tot.falseOk} (a cell wrong or missing) + ${tot.falseOkExtraOnly} (extra cells only); flagged ${tot.flagged}; degraded but correct ${tot.degradedCorrect}`,
  );
}
