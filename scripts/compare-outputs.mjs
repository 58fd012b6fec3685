#!/usr/bin/env node
// Before/after comparison of the extraction output, for changes that must not change it
// (performance work):
//
//   node scripts/compare-outputs.mjs run DIR [--jobs N]   outputs of the compiled CLI into DIR
//   node scripts/compare-outputs.mjs diff DIR_A DIR_B     byte-for-byte comparison
//
// `run` runs `budget-extract batch` (dist/, as built) over every PDF of ../shared/corpus/dev and
// ../shared/corpus/real (the PDFs of ../shared/corpus/realtruth are files of real), one
// sub-directory per set: DIR/<set>/<name>.json as the batch writes them (pretty JSON, the same
// bytes as the single-file command), and DIR/<set>/summary.json.
//
// Normalisation (only what differs between two runs of the same code): the per-file JSON holds
// nothing run-dependent and is compared as written. summary.json holds clocks and the machine's
// state (startedAt, finishedAt, elapsedSeconds, filesPerSecond, pagesPerSecond, memory, runtime,
// jobs, workersReplaced, output.path) and lists its files in the order they finished; `run`
// keeps a copy, summary.norm.json, without those fields and with failures and checkFailures
// sorted by file — the counts, errors and failures (file, code, message) stay — and `diff`
// compares that one.
// The batch journal (.budget-extract/, per-file ms and MB) is not compared.
//
// `diff` prints each file that differs with the first JSON path where it differs, each file
// present on one side only, and a last line `SUMMARY: N files compared, D differ, M missing`;
// it exits 1 when anything differs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'budget-extract');
const SETS = ['dev', 'real'];
const VOLATILE = ['startedAt', 'finishedAt', 'elapsedSeconds', 'filesPerSecond', 'pagesPerSecond', 'memory', 'runtime', 'jobs', 'workersReplaced', 'output'];

function usage() {
  console.error('usage: compare-outputs.mjs run DIR [--jobs N] | compare-outputs.mjs diff DIR_A DIR_B');
  process.exit(2);
}

function run(dir, jobs) {
  for (const set of SETS) {
    const src = path.join(ROOT, '..', 'shared', 'corpus', set);
    if (!fs.existsSync(src)) {
      console.error(`compare-outputs: ${src} is missing`);
      process.exit(2);
    }
    const out = path.join(dir, set);
    fs.rmSync(out, { recursive: true, force: true });
    const r = spawnSync(process.execPath, [BIN, 'batch', src, '--out-dir', out, '--jobs', String(jobs), '--no-progress'], {
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    if (r.status !== 0 && r.status !== 1) {
      console.error(r.stderr);
      console.error(`compare-outputs: batch over ${set} exited ${r.status}`);
      process.exit(2);
    }
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    for (const k of VOLATILE) delete summary[k];
    // Files are listed in the order they finished, which depends on --jobs and the machine.
    for (const k of ['failures', 'checkFailures']) summary[k]?.sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : 0));
    fs.writeFileSync(path.join(out, 'summary.norm.json'), JSON.stringify(summary, null, 2) + '\n');
    console.log(`${set}: ${summary.processed} inputs, ok ${summary.ok}, failed ${summary.failed} → ${out}`);
  }
}

/** The outputs compared: every *.json but the raw summary, by path relative to DIR. */
function outputs(dir) {
  const files = [];
  for (const set of SETS) {
    const d = path.join(dir, set);
    if (!fs.existsSync(d)) continue;
    for (const f of fs.readdirSync(d).sort()) {
      if (f.endsWith('.json') && f !== 'summary.json') files.push(path.join(set, f));
    }
  }
  return files;
}

/** The first JSON path at which a and b differ ('' when they are equal as values). */
function firstDiff(a, b, at = '$') {
  if (a === b) return '';
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    return `${at}: ${JSON.stringify(a)?.slice(0, 80)} ≠ ${JSON.stringify(b)?.slice(0, 80)}`;
  }
  const keys = Array.isArray(a) ? [...Array(Math.max(a.length, b.length)).keys()] : [...new Set([...Object.keys(a), ...Object.keys(b)])];
  for (const k of keys) {
    const d = firstDiff(a[k], b[k], Array.isArray(a) ? `${at}[${k}]` : `${at}.${k}`);
    if (d) return d;
  }
  return '';
}

function diff(dirA, dirB) {
  const a = outputs(dirA);
  const b = new Set(outputs(dirB));
  let differ = 0;
  let missing = 0;
  for (const f of a) {
    if (!b.delete(f)) {
      console.log(`only in ${dirA}: ${f}`);
      missing++;
      continue;
    }
    const x = fs.readFileSync(path.join(dirA, f));
    const y = fs.readFileSync(path.join(dirB, f));
    if (x.equals(y)) continue;
    differ++;
    let where;
    try {
      where = firstDiff(JSON.parse(x.toString('utf8')), JSON.parse(y.toString('utf8'))) || 'same values, different bytes';
    } catch {
      where = 'not JSON';
    }
    console.log(`differs: ${f}: ${where}`);
  }
  for (const f of b) {
    console.log(`only in ${dirB}: ${f}`);
    missing++;
  }
  console.log(`SUMMARY: ${a.length} files compared, ${differ} differ, ${missing} missing`);
  return differ || missing ? 1 : 0;
}

const [cmd, ...rest] = process.argv.slice(2);
if (cmd === 'run') {
  const dir = rest[0];
  if (!dir) usage();
  const j = rest.indexOf('--jobs');
  run(path.resolve(dir), j >= 0 ? Number(rest[j + 1]) : 1);
} else if (cmd === 'diff') {
  if (rest.length !== 2) usage();
  process.exitCode = diff(rest[0], rest[1]);
} else usage();
