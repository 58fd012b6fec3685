#!/usr/bin/env node
// Fuzzing: `npm run fuzz -- N [--seed S] [--jobs J] [--timeout SEC] [--max-memory MB] [--save] [--seeds DIR|FILE]...`
//
// Mutates the PDFs in fixtures/ (and fixtures/fuzz/, the kept crash inputs) N times —
// truncation, bit flips, deleted and duplicated objects, broken xref/trailer, huge declared
// lengths, deep nesting, and combinations — and runs each case through the single-file path
// (load → extract → validate → serialise, the code `budget-extract FILE` runs) in the batch's
// worker pool, with the batch limits (--timeout, default 120 s; --max-memory, default 1024 MB).
//
// Every case must end in JSON or a coded error. A crash is: an `internal` error, a worker that
// died (uncaught exception, unhandled rejection), out_of_memory; a hang is a timeout. Each is
// printed with the seed that reproduces it; --save keeps its input as fixtures/fuzz/<kind>-<hash>.pdf.
// `--dump I FILE` writes case I of --seed S to FILE instead of running.
// Exit status 0 when there were no crashes and no hangs, 1 otherwise.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
if (!fs.existsSync(path.join(DIST, 'batch', 'pool.js'))) {
  console.error('fuzz: dist/ is missing; run `npm run build` first');
  process.exit(2);
}
const { Pool } = await import(path.join(DIST, 'batch', 'pool.js'));

// ---- arguments ----
const args = process.argv.slice(2);
let n = 200;
let seed = Date.now() % 1_000_000;
let jobs = 2;
let timeoutS = 120;
let maxMemoryMb = 1024;
let save = false;
let quiet = false;
let dump = null;
const seedDirs = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--seed') seed = Number(args[++i]);
  else if (a === '--jobs') jobs = Number(args[++i]);
  else if (a === '--timeout') timeoutS = Number(args[++i]);
  else if (a === '--max-memory') maxMemoryMb = Number(args[++i]);
  else if (a === '--save') save = true;
  else if (a === '--quiet') quiet = true;
  else if (a === '--dump') dump = { i: Number(args[++i]), file: args[++i] };
  else if (a === '--seeds') seedDirs.push(args[++i]);
  else if (/^\d+$/.test(a)) n = Number(a);
  else {
    console.error(`fuzz: unknown argument ${a}`);
    process.exit(2);
  }
}
if (!seedDirs.length) for (const d of ['fixtures', 'fixtures/bad', 'fixtures/dev', 'fixtures/fuzz']) seedDirs.push(path.join(ROOT, d));

// ---- seeds: the fixture PDFs (not too big, so that N cases stay quick) ----
const seeds = [];
for (const d of seedDirs) {
  if (!fs.existsSync(d)) continue;
  const isDir = fs.statSync(d).isDirectory();
  for (const f of isDir ? fs.readdirSync(d).sort() : [path.basename(d)]) {
    const p = isDir ? path.join(d, f) : d;
    if (!/\.pdf$/i.test(f) || !fs.statSync(p).isFile()) continue;
    const data = fs.readFileSync(p);
    // Real PDFs only: mutating an empty file or an HTML page tests nothing new.
    if (data.length < 1024 || data.length > 2_000_000 || !data.subarray(0, 1024).toString('latin1').includes('%PDF-')) continue;
    seeds.push({ name: path.relative(ROOT, p), data });
  }
}
if (!seeds.length) {
  console.error('fuzz: no seed PDFs');
  process.exit(2);
}

// ---- deterministic randomness ----
function rng(s) {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- mutations (bytes in, bytes out) ----
const latin1 = (b) => b.toString('latin1');
const fromLatin1 = (s) => Buffer.from(s, 'latin1');
function objectSpans(s) {
  const spans = [];
  const re = /(\d+)\s+(\d+)\s+obj\b/g;
  let m;
  while ((m = re.exec(s))) {
    const end = s.indexOf('endobj', m.index);
    if (end < 0) break;
    spans.push({ start: m.index, end: end + 6, num: Number(m[1]) });
    re.lastIndex = end + 6;
  }
  return spans;
}
const pick = (r, xs) => xs[Math.floor(r() * xs.length)];
const int = (r, lo, hi) => lo + Math.floor(r() * (hi - lo + 1));

const MUTATIONS = {
  truncate(b, r) {
    if (b.length < 2) return b;
    // Mostly near the end (xref, trailer), sometimes anywhere.
    const at = r() < 0.5 ? int(r, Math.floor(b.length * 0.9), b.length - 1) : int(r, 1, b.length - 1);
    return b.subarray(0, at);
  },
  bitflip(b, r) {
    const out = Buffer.from(b);
    const k = pick(r, [1, 2, 4, 8, 32, 128]);
    for (let i = 0; i < k && out.length; i++) {
      const at = int(r, 0, out.length - 1);
      out[at] ^= 1 << int(r, 0, 7);
    }
    return out;
  },
  byteRun(b, r) {
    const out = Buffer.from(b);
    if (!out.length) return out;
    const at = int(r, 0, out.length - 1);
    const len = Math.min(out.length - at, int(r, 1, 512));
    const v = pick(r, [0x00, 0xff, 0x20, 0x28, 0x5b, 0x3c]);
    out.fill(v, at, at + len);
    return out;
  },
  deleteObject(b, r) {
    const s = latin1(b);
    const spans = objectSpans(s);
    if (!spans.length) return MUTATIONS.bitflip(b, r);
    const k = int(r, 1, Math.min(3, spans.length));
    let out = s;
    for (let i = 0; i < k; i++) {
      const sp = objectSpans(out);
      if (!sp.length) break;
      const o = pick(r, sp);
      out = out.slice(0, o.start) + out.slice(o.end);
    }
    return fromLatin1(out);
  },
  duplicateObject(b, r) {
    const s = latin1(b);
    const spans = objectSpans(s);
    if (!spans.length) return MUTATIONS.bitflip(b, r);
    const o = pick(r, spans);
    const copy = s.slice(o.start, o.end);
    const at = pick(r, spans).end;
    // The same object number twice, sometimes with another body.
    const body = r() < 0.5 ? copy : copy.replace(/obj\b[\s\S]*endobj$/, 'obj\n<< /Type /Page /Parent 1 0 R /Kids [1 0 R] /Count 99999 >>\nendobj');
    return fromLatin1(s.slice(0, at) + '\n' + body + '\n' + s.slice(at));
  },
  breakXref(b, r) {
    let s = latin1(b);
    const choice = int(r, 0, 5);
    if (choice === 0) s = s.replace(/startxref\s+\d+/g, `startxref\n${int(r, 0, 2 ** 31 - 1)}`);
    else if (choice === 1) s = s.replace(/\bxref\b/g, 'xerf');
    else if (choice === 2) {
      // Scramble offsets in a classic xref table.
      s = s.replace(/(\d{10}) (\d{5}) ([nf])/g, (m, off, gen, t) => (r() < 0.3 ? `${String(int(r, 0, 9_999_999_999)).padStart(10, '0')} ${gen} ${t}` : m));
    } else if (choice === 3) s = s.replace(/\/Size\s+\d+/g, `/Size ${pick(r, [0, 1, 2 ** 31 - 1, 99999999])}`);
    else if (choice === 4) s = s.replace(/\/Root\s+\d+\s+\d+\s+R/g, `/Root ${int(r, 0, 500)} 0 R`);
    else s = s.replace(/\/Prev\s+\d+/g, `/Prev ${int(r, 0, s.length)}`).replace(/trailer/g, r() < 0.5 ? 'trailer' : 'trialer');
    return fromLatin1(s);
  },
  hugeLength(b, r) {
    const s = latin1(b);
    const huge = () => pick(r, ['2147483647', '4294967296', '99999999999999', '-1', '0', '1e308', '9'.repeat(40)]);
    let count = 0;
    const out = s.replace(/\/Length\s+\d+(\s+0\s+R)?/g, (m) => (r() < 0.5 || count === 0 ? (count++, `/Length ${huge()}`) : m));
    // Also huge counts and sizes where pdf.js allocates by them.
    return fromLatin1(
      out
        .replace(/\/Count\s+\d+/g, (m) => (r() < 0.3 ? `/Count ${huge()}` : m))
        .replace(/\/(W|Width|Height)\s+\d+/g, (m, k) => (r() < 0.3 ? `/${k} ${huge()}` : m))
        .replace(/\/N\s+\d+/g, (m) => (r() < 0.3 ? `/N ${huge()}` : m)),
    );
  },
  deepNesting(b, r) {
    const s = latin1(b);
    const depth = pick(r, [1000, 10_000, 100_000, 500_000]);
    const kind = int(r, 0, 3);
    let deep;
    if (kind === 0) deep = '['.repeat(depth) + ']'.repeat(depth);
    else if (kind === 1) deep = '<< /A '.repeat(depth) + '>>'.repeat(depth);
    else if (kind === 2) deep = '['.repeat(depth); // never closed
    else deep = '<< /Kids ['.repeat(Math.min(depth, 50_000)) + '] >>'.repeat(Math.min(depth, 50_000));
    const spans = objectSpans(s);
    if (!spans.length) return fromLatin1(s + deep);
    const o = pick(r, spans);
    // Inside an object: right after "obj".
    const at = s.indexOf('obj', o.start) + 3;
    return fromLatin1(s.slice(0, at) + ' ' + deep + ' ' + s.slice(at));
  },
  pageTreeLoop(b, r) {
    // A /Parent or /Kids that points back up the tree.
    const s = latin1(b);
    return fromLatin1(s.replace(/\/Kids\s*\[([^\]]*)\]/, (m, kids) => `/Kids [${kids} ${kids}]`).replace(/\/Parent\s+(\d+)\s+0\s+R/, (m) => (r() < 0.5 ? '/Parent 1 0 R' : m)));
  },
  splice(b, r) {
    // A slice of the file pasted at another place.
    if (b.length < 10) return b;
    const a = int(r, 0, b.length - 2);
    const len = Math.min(b.length - a, int(r, 1, 4096));
    const at = int(r, 0, b.length - 1);
    return Buffer.concat([b.subarray(0, at), b.subarray(a, a + len), b.subarray(at)]);
  },
};
const KINDS = Object.keys(MUTATIONS);

function makeCase(i) {
  const r = rng(seed * 1_000_003 + i);
  const s = pick(r, seeds);
  let data = s.data;
  const steps = [];
  const k = r() < 0.7 ? 1 : int(r, 2, 3);
  for (let j = 0; j < k; j++) {
    const kind = pick(r, KINDS);
    steps.push(kind);
    data = MUTATIONS[kind](data, r);
  }
  return { i, seedFile: s.name, steps, data: Buffer.from(data) };
}

// `--dump I FILE`: write case I (of this --seed) to FILE, to reproduce it with bin/budget-extract.
if (dump) {
  const c = makeCase(dump.i);
  fs.writeFileSync(dump.file, c.data);
  console.log(`case ${c.i} (${c.seedFile}: ${c.steps.join('+')}) → ${dump.file}`);
  process.exit(0);
}

// ---- run ----
const FAIL_CODES = new Set(['internal', 'timeout', 'out_of_memory']);
const pool = new Pool({
  size: jobs,
  timeoutMs: timeoutS * 1000,
  maxMemoryMb,
  config: { format: 'json', output: 'document', pretty: false, bom: false, debug: false },
});
const t0 = performance.now();
const tally = { ok: 0, codes: {}, crashes: 0, hangs: 0, oom: 0 };
const failures = [];
/** Outcomes by mutation (the first step of each case): kind → code → count. */
const byKind = {};
let maxMs = 0;
let slowest = null;
let next = 0;
let done = 0;
const say = (s) => {
  if (!quiet) process.stderr.write(s + '\n');
};

say(`fuzz: ${n} cases from ${seeds.length} seed PDFs, seed ${seed}, ${jobs} workers, limits ${timeoutS} s / ${maxMemoryMb} MB`);
await Promise.all(
  Array.from({ length: jobs * 2 }, async () => {
    while (next < n) {
      const c = makeCase(next++);
      const sha256 = createHash('sha256').update(c.data).digest('hex');
      const res = await pool.run({ file: `fuzz-${c.i}.pdf`, sha256, data: new Uint8Array(c.data.buffer.slice(c.data.byteOffset, c.data.byteOffset + c.data.byteLength)) });
      done++;
      const outcome = res.ok ? 'json' : res.error.code;
      byKind[c.steps[0]] ??= {};
      byKind[c.steps[0]][outcome] = (byKind[c.steps[0]][outcome] ?? 0) + 1;
      if (res.wallMs > maxMs) {
        maxMs = res.wallMs;
        slowest = `case ${c.i} (${c.seedFile}: ${c.steps.join('+')})`;
      }
      if (res.ok) tally.ok++;
      else {
        const code = res.error.code;
        tally.codes[code] = (tally.codes[code] ?? 0) + 1;
        if (FAIL_CODES.has(code)) {
          if (code === 'timeout') tally.hangs++;
          else if (code === 'out_of_memory') tally.oom++;
          else tally.crashes++;
          const kind = code === 'timeout' ? 'hang' : code === 'out_of_memory' ? 'oom' : 'crash';
          const f = { case: c.i, seed, kind, from: c.seedFile, steps: c.steps.join('+'), code, message: res.error.message, sha256 };
          failures.push(f);
          say(`  ${kind.toUpperCase()} case ${c.i} (${f.from}: ${f.steps}): [${code}] ${res.error.message}`);
          if (save) {
            const dir = path.join(ROOT, 'fixtures', 'fuzz');
            fs.mkdirSync(dir, { recursive: true });
            const out = path.join(dir, `${kind}-${sha256.slice(0, 12)}.pdf`);
            fs.writeFileSync(out, c.data);
            say(`    kept ${path.relative(ROOT, out)}`);
          }
        }
      }
      if (!quiet && process.stderr.isTTY) process.stderr.write(`\r${done}/${n}`);
    }
  }),
);
await pool.close();
if (!quiet && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
const secs = (performance.now() - t0) / 1000;
const codes = Object.entries(tally.codes)
  .sort((a, b) => b[1] - a[1])
  .map(([c, k]) => `${c} ${k}`)
  .join(', ');
const line = `fuzz: ${n} cases in ${secs.toFixed(1)} s (seed ${seed}): JSON ${tally.ok}, coded errors ${n - tally.ok}${codes ? ` (${codes})` : ''}; crashes ${tally.crashes}, hangs ${tally.hangs}, out of memory ${tally.oom}; slowest ${(maxMs / 1000).toFixed(1)} s${slowest ? ` (${slowest})` : ''}; worker peak ${Math.max(...pool.peaks.map((b) => Math.round(b / 1048576)))} MB`;
console.log(line);
if (!quiet) {
  const fmt = (o) => Object.entries(o).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
  for (const k of KINDS) if (byKind[k]) console.log(`  ${k.padEnd(16)} ${fmt(byKind[k])}`);
}
if (process.env.FUZZ_JSON) fs.writeFileSync(process.env.FUZZ_JSON, JSON.stringify({ n, seed, secs, tally, byKind, failures, maxMs }, null, 2));
process.exit(failures.length ? 1 : 0);
