#!/usr/bin/env node
// Benchmark: `npm run bench -- DIR [--jobs N] [--runs R] [--keep] [--no-rss]`
//
// Runs `budget-extract batch DIR` (the compiled CLI in dist/, full extraction, checks and JSON
// output to a temporary --out-dir) with --jobs 1 and --jobs <cores>, and, when poppler's
// pdftotext is installed, `pdftotext -layout` on the same files one at a time and <cores> at a
// time, side by side in this one run. Per file it takes the time the batch worker spent on it
// (from the batch journal) and the wall time of each pdftotext process. It prints files/s,
// pages/s, p50/p95 ms per file, peak memory per worker, and the ratios to pdftotext.
//
// CPU seconds (user + sys) of each run are those of its whole process tree (the batch, its
// respawned child and worker threads; the pdftotext processes), read from this process's
// children times in /proc/self/stat (Linux; '-' elsewhere). The machine may be shared: CPU
// seconds, unlike wall time, barely depend on what else runs, so the ratio to pdftotext is
// taken on them.
//
// "peak memory per worker" is the worker thread's heap + external memory as the worker samples
// it (its share of the RSS), and the process peak RSS of each batch run. Threads share one RSS,
// so, for a per-file bound, each file is also run alone through the single-file path in its own
// process and that process's peak RSS printed (--no-rss skips this).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'budget-extract');

const args = process.argv.slice(2);
let dir = null;
let cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
let runs = 1;
let keep = false;
let rss = true;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--jobs') cores = Number(args[++i]);
  else if (args[i] === '--runs') runs = Number(args[++i]);
  else if (args[i] === '--keep') keep = true;
  else if (args[i] === '--no-rss') rss = false;
  else if (!dir) dir = args[i];
}
if (!dir || !fs.existsSync(dir)) {
  console.error('usage: npm run bench -- DIR [--jobs N] [--runs R] [--keep] [--no-rss]');
  process.exit(2);
}
if (!fs.existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) {
  console.error('bench: dist/ is missing; run `npm run build` first');
  process.exit(2);
}

function listPdfs(d) {
  const out = [];
  for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) out.push(...listPdfs(p));
    else if (/\.pdf$/i.test(e.name)) out.push(p);
  }
  return out;
}
const files = listPdfs(dir);
if (!files.length) {
  console.error(`bench: no *.pdf under ${dir}`);
  process.exit(2);
}

/** User and sys CPU seconds of this process's finished (waited-for) children, or null off Linux. */
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;
function childrenCpu() {
  try {
    // Fields after "(comm) ": state is [0]; cutime and cstime are fields 16 and 17 of stat(5).
    const f = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return { user: Number(f[13]) / CLK_TCK, sys: Number(f[14]) / CLK_TCK };
  } catch {
    return null;
  }
}
function cpuSince(c0) {
  const c1 = childrenCpu();
  return c0 && c1 ? { user: c1.user - c0.user, sys: c1.sys - c0.sys, total: c1.user - c0.user + c1.sys - c0.sys } : null;
}

const pct = (xs, p) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const f0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : '-');
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-');
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '-');

/** One batch run; per-file ms/MB from the journal, totals from summary.json. `v8Flags`: null
 *  runs the batch as a user would (its own choice of V8 flags, see src/cli/respawn.ts); a
 *  string sets BUDGET_EXTRACT_V8_FLAGS. */
function runBatch(jobs, v8Flags = null) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'be-bench-'));
  const c0 = childrenCpu();
  const t0 = performance.now();
  const env = { ...process.env };
  if (v8Flags === null) delete env.BUDGET_EXTRACT_V8_FLAGS;
  else env.BUDGET_EXTRACT_V8_FLAGS = v8Flags;
  const r = spawnSync(process.execPath, [BIN, 'batch', dir, '--out-dir', out, '--jobs', String(jobs), '--no-progress', '--compact'], {
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const wall = (performance.now() - t0) / 1000;
  const cpu = cpuSince(c0);
  if (r.status !== 0 && r.status !== 1) {
    console.error(r.stderr);
    throw new Error(`batch --jobs ${jobs} exited ${r.status}`);
  }
  const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
  const entries = fs
    .readFileSync(path.join(out, '.budget-extract', 'journal.ndjson'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .slice(1)
    .map((l) => JSON.parse(l));
  if (!keep) fs.rmSync(out, { recursive: true, force: true });
  else console.log(`(kept ${out})`);
  const v8 = summary.runtime?.execArgv?.length ? summary.runtime.execArgv.join(' ') : 'V8 default';
  return { jobs, wall, cpu, summary, entries, forced: v8Flags !== null, v8 };
}

function hasPdftotext() {
  const r = spawnSync('pdftotext', ['-v'], { encoding: 'utf8' });
  return r.status === 0 || /pdftotext/.test(r.stderr ?? '');
}

/** pdftotext -layout FILE /dev/null, `par` at a time; wall ms per file. */
async function runPdftotext(par) {
  const times = new Array(files.length);
  let next = 0;
  const c0 = childrenCpu();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: par }, async () => {
      while (next < files.length) {
        const i = next++;
        const s = performance.now();
        await new Promise((resolve) => {
          const c = spawn('pdftotext', ['-layout', files[i], '/dev/null'], { stdio: 'ignore' });
          c.on('close', resolve);
          c.on('error', resolve);
        });
        times[i] = performance.now() - s;
      }
    }),
  );
  return { par, wall: (performance.now() - t0) / 1000, cpu: cpuSince(c0), times };
}

/** Peak RSS (MB) of a process running the single-file path on FILE as `budget-extract FILE`
 *  runs it (the supervised child: its V8 flags, its marker, so no further child): what one
 *  worker's work costs, plus Node's own baseline — an upper bound for the RSS of a worker on
 *  that file. */
function singleFileRss(file) {
  const script = `const m = await import(${JSON.stringify(path.join(ROOT, 'dist', 'cli', 'main.js'))});
    await m.main([process.argv[0], 'budget-extract', process.argv[1], '--compact']);
    process.stderr.write('\\nRSS ' + process.resourceUsage().maxRSS + '\\n');`;
  const { v8Flags, env } = supervisedChild(DEFAULT_MAX_MEMORY_MB);
  const r = spawnSync(process.execPath, [...v8Flags, '--input-type=module', '-e', script, file], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], env });
  const m = /RSS (\d+)/.exec(r.stderr ?? '');
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

const lines = [];
const say = (s = '') => {
  lines.push(s);
  console.log(s);
};

say(`budget-extract bench: ${files.length} PDFs under ${dir}; ${cores} core${cores === 1 ? '' : 's'}; node ${process.version}; ${os.cpus()[0]?.model ?? ''}`);
const poppler = hasPdftotext();
// --jobs 1 and --jobs <cores> as a user runs them; and, when they differ in V8 flags (a spare
// core keeps V8's helper threads, see src/cli/respawn.ts), --jobs 1 with the flags of the
// --jobs <cores> run too, so that the pool's own scaling is seen at equal V8 settings.
const { batchV8Flags } = await import(pathToFileURL(path.join(ROOT, 'dist', 'cli', 'respawn.js')).href);
const { DEFAULT_MAX_MEMORY_MB, supervisedChild } = await import(pathToFileURL(path.join(ROOT, 'dist', 'cli', 'supervise.js')).href);
const oneThread = batchV8Flags(cores, cores, {}).join(' ');
const configs = cores > 1 ? [{ jobs: 1, v8: null }, { jobs: 1, v8: oneThread }, { jobs: cores, v8: null }] : [{ jobs: 1, v8: null }];
const results = [];
for (let run = 0; run < runs; run++) {
  for (const c of configs) {
    const pt = poppler && !c.v8 ? await runPdftotext(c.jobs) : null;
    const b = runBatch(c.jobs, c.v8);
    results.push({ b, pt });
  }
}

say('');
const cpuCell = (c) => (c ? `${f1(c.total)} (${f1(c.user)}+${f1(c.sys)})` : '-').padStart(17);
say('                         files/s  pages/s   p50 ms   p95 ms   wall s  CPU s (user+sys)  heap+ext MB/worker  process peak RSS MB  of it workers MB  failed');
for (const { b, pt } of results) {
  const s = b.summary;
  const ms = b.entries.filter((e) => e.sha256).map((e) => e.ms);
  const peaks = s.memory.workerPeakMb.join('/');
  say(
    `${`batch --jobs ${b.jobs}${b.forced ? ' (1 V8 thread)' : ''}`.padEnd(25)}${f2(s.filesPerSecond).padStart(7)}  ${f1(s.pagesPerSecond).padStart(7)}  ${f0(pct(ms, 50)).padStart(7)}  ${f0(pct(ms, 95)).padStart(7)}  ${f1(b.wall).padStart(7)}  ${cpuCell(b.cpu)}  ${peaks.padStart(18)}  ${String(s.memory.processPeakRssMb).padStart(19)}  ${String(s.memory.processPeakRssMb - (s.memory.processBaseRssMb ?? 0)).padStart(16)}  ${s.failed}`,
  );
  if (pt) {
    const pages = s.pages; // same files
    say(
      `pdftotext -layout ×${String(pt.par).padEnd(2)}    ${f2(files.length / pt.wall).padStart(7)}  ${f1(pages / pt.wall).padStart(7)}  ${f0(pct(pt.times, 50)).padStart(7)}  ${f0(pct(pt.times, 95)).padStart(7)}  ${f1(pt.wall).padStart(7)}  ${cpuCell(pt.cpu)}`,
    );
  }
}

const asRun = (jobs) => results.filter((r) => r.b.jobs === jobs && !r.b.forced);
const j1 = asRun(1);
const j1st = results.filter((r) => r.b.jobs === 1 && r.b.forced);
const jn = asRun(cores);
const fps = (r) => r.b.summary.filesPerSecond;
const best = (rs) => Math.max(...rs.map(fps));
if (cores > 1) {
  say('');
  say(`V8 flags as run: --jobs 1: ${j1[0].b.v8}; --jobs ${cores}: ${jn[0].b.v8}`);
  say(`scaling: --jobs ${cores} gives ${f2(best(jn) / best(j1))}× the files/s of --jobs 1 as run, ${f2(best(jn) / best(j1st))}× of --jobs 1 with one V8 thread (best runs)`);
  if (runs > 1) {
    say(`         run by run: ${jn.map((r, i) => f2(fps(r) / fps(j1[i]))).join('×, ')}× as run; ${jn.map((r, i) => f2(fps(r) / fps(j1st[i]))).join('×, ')}× with one V8 thread`);
  }
}
if (poppler) {
  say('');
  // The figure that decides throughput on a loaded or shared machine: CPU seconds for the same files.
  for (const { b, pt } of results.filter((r) => r.pt)) {
    if (!b.cpu || !pt.cpu) continue;
    say(
      `CPU vs pdftotext -layout (--jobs ${b.jobs} vs ${pt.par} at a time): ${f2(b.cpu.total)} s vs ${f2(pt.cpu.total)} s = ${f2(b.cpu.total / pt.cpu.total)}×; ${f1((b.cpu.total * 1000) / b.summary.pages)} vs ${f1((pt.cpu.total * 1000) / b.summary.pages)} ms per page`,
    );
  }
  for (const { b, pt } of results.filter((r) => r.pt)) {
    // Per file, matched by path: worker ms vs pdftotext ms.
    const byFile = new Map(b.entries.filter((e) => e.sha256).map((e) => [path.resolve(e.file), e.ms]));
    const ours = [];
    const theirs = [];
    const ratios = [];
    files.forEach((f, i) => {
      const m = byFile.get(path.resolve(f));
      if (m === undefined) return;
      ours.push(m);
      theirs.push(pt.times[i]);
      ratios.push(m / pt.times[i]);
    });
    say(
      `per-file time vs pdftotext -layout (--jobs ${b.jobs} vs ${pt.par} at a time, ${ours.length} files): median ${f0(median(ours))} ms vs ${f0(median(theirs))} ms = ${f2(median(ours) / median(theirs))}×; median of per-file ratios ${f2(median(ratios))}×`,
    );
  }
} else {
  say('');
  say('pdftotext not found (poppler-utils): no comparison. Install it for the comparison only, e.g. apt-get install -y poppler-utils.');
}
const worst = Math.max(...results.flatMap((r) => r.b.entries.map((e) => e.peakMb ?? 0)));
const worstFile = results.flatMap((r) => r.b.entries).reduce((a, e) => ((e.peakMb ?? 0) > (a?.peakMb ?? -1) ? e : a), null);
say('');
say(`peak worker memory (heap + external) on one file: ${worst} MB (${worstFile ? path.basename(worstFile.file) : '-'})`);
if (rss) {
  const per = files.map((f) => [f, singleFileRss(f)]);
  const [wf, wr] = per.reduce((a, x) => (x[1] > a[1] ? x : a), ['', -1]);
  const over = per.filter(([, r]) => r >= 400).length;
  say(`peak RSS of one file alone (single-file path, own process: an upper bound per worker): max ${wr} MB (${path.basename(wf)}), median ${f0(median(per.map((x) => x[1])))} MB; files ≥ 400 MB: ${over}`);
}
