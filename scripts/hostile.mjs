#!/usr/bin/env node
// The hostile-input promise: `npm run hostile [-- DIR] [--quick] [--only NAME]`.
//
// Runs bin/budget-extract with default settings on every PDF of DIR (default
// ../shared/corpus/hostile) and checks, for each: done in < 60 s of wall time, peak RSS of the
// whole process tree < 1.5 GB (sampled from /proc every 50 ms), a documented exit status (not 70,
// internal), no stack trace and no V8 / pdf.js noise on stderr, exactly one stderr line when the
// status is an error and none on success. Files named in the corpus README get their expected
// result checked too (status, CSV injection prefix, escaped terminal output, passwords,
// --strict). --quick leaves out the slow files (CI runs those). Prints one line per run and a
// SUMMARY line; exits 1 when any check failed.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'budget-extract');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
const dir = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--only') ?? path.resolve(ROOT, '..', 'shared', 'corpus', 'hostile');
const SLOW = new Set(['pages-1000.pdf', 'kids-same-page-8000.pdf', 'content-100mb-paths.pdf', 'forms-bomb-4x12.pdf']);
const WALL_S = 60;
const RSS_MB = 1536;
const DOCUMENTED = new Set([0, 2, 3, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
const NOISE = /\n\s+at .+[(:]\d+:\d+\)?|FATAL ERROR|RangeError|Maximum call stack|PromiseRejectCallback|Warning:|Error: |<--- /;

if (!existsSync(dir)) {
  console.log(`hostile: ${dir} does not exist; nothing to check`);
  console.log('SUMMARY: 0 runs, 0 failed (no corpus)');
  process.exit(0);
}

function rssTree(pid) {
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop();
    try {
      const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${p}/status`, 'latin1'));
      if (m) total += Number(m[1]) * 1024;
      for (const t of readdirSync(`/proc/${p}/task`)) {
        const kids = readFileSync(`/proc/${p}/task/${t}/children`, 'latin1').trim();
        if (kids) stack.push(...kids.split(/\s+/).map(Number));
      }
    } catch {
      // gone
    }
  }
  return total;
}

function run(argv) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(BIN, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    let outBytes = 0;
    child.stdout.on('data', (b) => {
      outBytes += b.length;
      if (outBytes < 64 << 20) out.push(b);
    });
    child.stderr.on('data', (b) => err.push(b));
    let peak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssTree(child.pid));
    }, 50);
    // Well past the promise: a run this long has failed anyway.
    const killer = setTimeout(() => child.kill('SIGKILL'), (WALL_S + 30) * 1000);
    child.on('close', (status, signal) => {
      clearInterval(sampler);
      clearTimeout(killer);
      resolve({ status, signal, seconds: (performance.now() - t0) / 1000, peakMb: peak / 1048576, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/** Extra expectations of the corpus README, by file. */
const EXPECT = {
  'struct-count-negative.pdf': [{ args: [], status: 13 }],
  'pages-1000.pdf': [{ args: [], status: 16 }],
  'enc-aes256-empty-user.pdf': [
    { args: [], status: 0 },
    { args: ['--password', 'not-needed'], status: 0 },
  ],
  'huairen-digits-swapped.pdf': [
    { args: [], status: 0, check: (r) => (JSON.parse(r.stdout.toString('utf8')).summary.fail > 0 ? null : 'no failed cross-check') },
    { args: ['--strict'], status: 3 },
  ],
  'inject-cells.pdf': [
    {
      args: ['--out', 'csv'],
      status: 0,
      check: async (r) => {
        const { parseCsv } = await import('../dist/output/csv.js');
        const NUMERIC = new Set([2, 5, 11, 13]); // fiscal_year, table_index, value, value_yuan
        const rows = parseCsv(r.stdout.toString('utf8')).slice(1);
        const bad = rows.filter((row) => row.some((cell, i) => !NUMERIC.has(i) && /^[=+\-@\t\r]/.test(cell)));
        const marked = rows.filter((row) => row.some((cell) => cell.startsWith("'=")));
        if (bad.length) return `${bad.length} CSV rows with a formula-like text cell, e.g. ${JSON.stringify(bad[0])}`;
        return marked.length ? null : 'no text cell was prefixed';
      },
    },
    { args: [], status: 0, check: (r) => (/"name": "=/.test(r.stdout.toString('utf8')) ? null : 'JSON does not keep the cells as printed') },
  ],
  'inject-ansi-check.pdf': [
    { args: ['check', '-v'], status: 0, check: (r) => (/[\x07\x1b]/.test(r.stdout.toString('latin1')) ? 'ESC or BEL reached the terminal' : null) },
  ],
};

const files = readdirSync(dir)
  .filter((f) => f.toLowerCase().endsWith('.pdf'))
  .filter((f) => !quick || !SLOW.has(f))
  .filter((f) => !only || f === only)
  .sort();
let failed = 0;
let runs = 0;
let maxWall = 0;
let maxRss = 0;
for (const f of files) {
  const file = path.join(dir, f);
  const expected = EXPECT[f] ?? [];
  const cases = expected.some((c) => !c.args.length) ? expected : [{ args: [] }, ...expected];
  for (const c of cases) {
    const argv = c.args[0] === 'check' ? ['check', file, ...c.args.slice(1)] : [file, ...c.args];
    const r = await run(argv);
    runs++;
    maxWall = Math.max(maxWall, r.seconds);
    maxRss = Math.max(maxRss, r.peakMb);
    const problems = [];
    if (r.seconds >= WALL_S) problems.push(`took ${r.seconds.toFixed(1)} s`);
    if (r.peakMb >= RSS_MB) problems.push(`peak RSS ${Math.round(r.peakMb)} MB`);
    if (r.signal) problems.push(`killed by ${r.signal}`);
    else if (!DOCUMENTED.has(r.status)) problems.push(`exit status ${r.status} is not a documented one (70 is internal)`);
    const lines = r.stderr ? r.stderr.replace(/\n$/, '').split('\n') : [];
    if (NOISE.test('\n' + r.stderr)) problems.push(`noise on stderr: ${JSON.stringify(r.stderr.slice(0, 160))}`);
    if (r.status !== 0 && lines.length !== 1) problems.push(`${lines.length} stderr lines (one expected)`);
    if (r.status === 0 && lines.length) problems.push(`stderr on success: ${JSON.stringify(r.stderr.slice(0, 160))}`);
    if (c.status !== undefined && r.status !== c.status) problems.push(`status ${r.status}, expected ${c.status}`);
    const extra = c.check && r.status === c.status ? await c.check(r) : null;
    if (extra) problems.push(extra);
    if (problems.length) failed++;
    const code = / \[(\w+)\]$/.exec(lines[0] ?? '')?.[1] ?? (r.status === 0 ? 'ok' : '');
    console.log(
      `${problems.length ? 'FAIL' : 'ok  '} ${f}${c.args.length ? ' ' + c.args.join(' ') : ''}: status ${r.status ?? r.signal} ${code}, ${r.seconds.toFixed(1)} s, ${Math.round(r.peakMb)} MB${problems.length ? ' — ' + problems.join('; ') : ''}`,
    );
  }
}
console.log(`SUMMARY: ${files.length} files, ${runs} runs, ${runs - failed} ok, ${failed} failed; max ${maxWall.toFixed(1)} s, max RSS ${Math.round(maxRss)} MB (limits ${WALL_S} s, ${RSS_MB} MB)`);
process.exit(failed ? 1 : 0);
