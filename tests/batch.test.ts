/** End-to-end `budget-extract batch` on fixtures/ (good and bad files): per-file codes and
 *  outputs, NDJSON and CSV streams, resume (also after kill -9), shards, limits, usage errors. */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Document } from '../src/model.js';
import { CSV_COLUMNS, parseCsv } from '../src/output/csv.js';
import { tieringV8Flags } from '../src/cli/respawn.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin', 'budget-extract');
const GOOD = 'fixtures/linquan-sfj-2025.pdf';
const BAD_DIR = 'fixtures/bad';
/** The bad fixtures and their codes (what `budget-extract FILE` says for each). */
const BAD: Record<string, string> = {
  empty: 'empty',
  'encrypted-user-password': 'encrypted',
  'meeting-notice': 'not_budget',
  'no-text-layer': 'no_text_layer',
  'not-a-pdf': 'not_pdf',
  truncated: 'corrupt',
};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'be-batch-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function batch(args: string[], input?: string): SpawnSyncReturns<string> {
  return spawnSync(BIN, ['batch', ...args], { cwd: ROOT, encoding: 'utf8', input, maxBuffer: 1 << 27, timeout: 120_000 });
}
const readJson = (p: string) => JSON.parse(fs.readFileSync(p, 'utf8'));
function journal(p: string): Array<{ sha256: string; name: string; status: string; code?: string }> {
  return fs.readFileSync(p, 'utf8').split('\n').filter(Boolean).slice(1).map((l) => JSON.parse(l));
}
const HAS_PROC = fs.existsSync('/proc/self/stat');
/** Fields of /proc/PID/stat after the command name: state, ppid, … (Linux). */
function procStat(pid: number | string): string[] | null {
  try {
    const st = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return st.slice(st.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}
function childrenOf(pid: number): number[] {
  if (!HAS_PROC) return [];
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d) && procStat(d)?.[1] === String(pid)).map(Number);
}
const running = (pid: number) => { const st = procStat(pid); return st !== null && st[0] !== 'Z'; };
function walk(d: string): string[] {
  return fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)).map((f) => path.join(e.name, f)) : [e.name]));
}

describe('batch --out-dir', () => {
  const out = path.join(tmp, 'out');
  let r: SpawnSyncReturns<string>;
  it('runs good, bad and missing files to the end, each with its code', () => {
    r = batch([BAD_DIR, GOOD, 'fixtures/no-such-file.pdf', '--out-dir', out, '--jobs', '2']);
    expect(r.status).toBe(1); // some inputs failed
    expect(r.stdout).toBe('');
    const s = readJson(path.join(out, 'summary.json'));
    expect(s).toMatchObject({ inputs: 8, processed: 8, resumed: 0, ok: 1, failed: 7, pending: 0, interrupted: false, jobs: 2 });
    const want: Record<string, number> = { not_found: 1 };
    for (const code of Object.values(BAD)) want[code] = (want[code] ?? 0) + 1;
    expect(s.errors).toEqual(want);
    const byName = Object.fromEntries(s.failures.map((f: { name: string; code: string }) => [f.name, f.code]));
    expect(byName).toEqual({ ...BAD, 'no-such-file': 'not_found' });
    expect(s.memory.workerPeakMb).toHaveLength(2);
    expect(s).toMatchObject({ okWithWarnings: 0, incomplete: [] });
  });

  it('writes one valid document per good input, nothing for failures, no temporary files', () => {
    const files = walk(out).sort();
    expect(files).toEqual(['.budget-extract/journal.ndjson', 'linquan-sfj-2025.json', 'summary.json']);
    const doc = Document.parse(readJson(path.join(out, 'linquan-sfj-2025.json')));
    expect(doc.source.file).toBe(GOOD);
    expect(doc.tables.length).toBeGreaterThan(5);
  });

  it('prints each failure as the single-file error line, then the summary', () => {
    for (const [name, code] of Object.entries(BAD)) {
      expect(r.stderr).toMatch(new RegExp(`^budget-extract: ${BAD_DIR}/${name}\\.pdf: .+ \\[${code}\\]$`, 'm'));
    }
    expect(r.stderr).toMatch(/^budget-extract: fixtures\/no-such-file\.pdf: no such file \[not_found\]$/m);
    expect(r.stderr).toMatch(/^budget-extract batch: 8 inputs in .*\(.* files\/s, .* pages\/s, 2 jobs\)$/m);
    expect(r.stderr).toMatch(/^ {2}ok 1, failed 7 \(/m);
    expect(r.stderr).not.toMatch(/\r|\x1b\[/); // no progress line when stderr is not a terminal
  });

  it('--resume redoes nothing that is done', () => {
    const again = batch([BAD_DIR, GOOD, 'fixtures/no-such-file.pdf', '--out-dir', out, '--resume']);
    expect(again.status).toBe(1);
    const s = readJson(path.join(out, 'summary.json'));
    expect(s).toMatchObject({ inputs: 8, processed: 0, resumed: 8, ok: 1, failed: 7 });
    expect(again.stderr).toMatch(/of which 8 done in an earlier run/);
    expect(journal(path.join(out, '.budget-extract', 'journal.ndjson'))).toHaveLength(8);
  });

  it('--resume after a kill mid-write redoes only the unrecorded input and clears stale temporaries', () => {
    const jf = path.join(out, '.budget-extract', 'journal.ndjson');
    const lines = fs.readFileSync(jf, 'utf8').split('\n').filter(Boolean);
    const kept = lines.filter((l) => !l.includes('"name":"linquan-sfj-2025"'));
    fs.writeFileSync(jf, kept.join('\n') + '\n{"sha256":"cut-by-a-kill'); // the good file unrecorded, a torn line
    fs.writeFileSync(path.join(out, '.linquan-sfj-2025.json.12345.deadbeef.tmp'), 'partial');
    const again = batch([BAD_DIR, GOOD, 'fixtures/no-such-file.pdf', '--out-dir', out, '--resume']);
    const s = readJson(path.join(out, 'summary.json'));
    expect(s).toMatchObject({ processed: 1, resumed: 7, ok: 1, failed: 7 });
    expect(walk(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const j = journal(jf);
    expect(j).toHaveLength(8);
    expect(new Set(j.map((e) => `${e.sha256}/${e.name}`)).size).toBe(8);
    expect(again.status).toBe(1);
  });

  it('refuses --resume into an output made with other options', () => {
    const again = batch([GOOD, '--out-dir', out, '--resume', '--format', 'xml']);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/\[usage\]$/m);
  });
});

const NARRATIVE_ONLY = path.resolve(ROOT, '../shared/corpus/real/jiangsu-zxbgt-2019-budget.pdf');
describe.skipIf(!fs.existsSync(NARRATIVE_ONLY))('batch: a disclosure with no table (the 说明 part only; ../shared/corpus/real)', () => {
  it('is output, with its warning, and counted ok_with_warnings in summary.json', () => {
    const out = path.join(tmp, 'incomplete');
    const r = batch([NARRATIVE_ONLY, GOOD, '--out-dir', out, '--jobs', '1']);
    expect(r.status).toBe(0);
    const s = readJson(path.join(out, 'summary.json'));
    expect(s).toMatchObject({ ok: 2, failed: 0, okWithWarnings: 1 });
    expect(s.incomplete).toEqual([{ file: NARRATIVE_ONLY, name: 'jiangsu-zxbgt-2019-budget', code: 'no_tables', message: 'no table was recognised' }]);
    const doc = Document.parse(readJson(path.join(out, 'jiangsu-zxbgt-2019-budget.json')));
    expect(doc.tables).toEqual([]);
    expect(doc.warnings.map((w) => w.code)).toContain('no_tables');
    expect(r.stderr).toMatch(/ok 2 \(1 with warnings: no table or no core table recognised\), failed 0/);
  });
});

describe('batch streams', () => {
  it('--ndjson -: one line per input, failures as {"file","error":{"code","message"}}', () => {
    const r = batch([GOOD, `${BAD_DIR}/truncated.pdf`, `${BAD_DIR}/not-a-pdf.pdf`, '--ndjson', '-', '--jobs', '1']);
    expect(r.status).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const docs = lines.map((l) => JSON.parse(l));
    const errors = docs.filter((d) => 'error' in d);
    expect(errors.map((e) => Object.keys(e))).toEqual([
      ['file', 'error'],
      ['file', 'error'],
    ]);
    expect(Object.fromEntries(errors.map((e) => [e.file, e.error.code]))).toEqual({ [`${BAD_DIR}/truncated.pdf`]: 'corrupt', [`${BAD_DIR}/not-a-pdf.pdf`]: 'not_pdf' });
    for (const e of errors) expect(Object.keys(e.error)).toEqual(['code', 'message']);
    const ok = docs.find((d) => !('error' in d));
    expect(Document.parse(ok).source.file).toBe(GOOD);
  });

  it('--csv FILE: one header, the rows of every good input, failures only in the summary', () => {
    const csv = path.join(tmp, 'cells.csv');
    const summary = path.join(tmp, 'cells-summary.json');
    const r = batch([GOOD, `${BAD_DIR}/empty.pdf`, '--csv', csv, '--bom', '--summary', summary]);
    expect(r.status).toBe(1);
    const text = fs.readFileSync(csv, 'utf8');
    expect(text.startsWith('\ufeff' + CSV_COLUMNS.join(','))).toBe(true);
    const rows = parseCsv(text);
    expect(rows.filter((x) => x[0] === 'file')).toHaveLength(1);
    expect(rows.length).toBeGreaterThan(100);
    expect(new Set(rows.slice(1).map((x) => x[0]))).toEqual(new Set([GOOD]));
    expect(readJson(summary)).toMatchObject({ ok: 1, failed: 1, errors: { empty: 1 } });
  });
});

describe('batch limits', () => {
  it('a file over --timeout is reported as timeout; its worker is replaced and the batch goes on', () => {
    const out = path.join(tmp, 'timeout');
    const r = batch([GOOD, `${BAD_DIR}/truncated.pdf`, `${BAD_DIR}/not-a-pdf.pdf`, '--out-dir', out, '--jobs', '1', '--timeout', '0.3']);
    expect(r.status).toBe(1);
    const s = readJson(path.join(out, 'summary.json'));
    const codes = Object.fromEntries(s.failures.map((f: { name: string; code: string }) => [f.name, f.code]));
    expect(codes['linquan-sfj-2025']).toBe('timeout');
    expect(codes['not-a-pdf']).toBe('not_pdf');
    expect(codes.truncated).toBe('corrupt'); // a fresh worker, pdf.js loaded before its clock starts
    expect(s.workersReplaced).toBeGreaterThanOrEqual(1);
    expect(r.stderr).toMatch(/linquan-sfj-2025\.pdf: took longer than the 0\.3 s limit \(--timeout\) \[timeout\]/);
  });

  it('a worker over --max-memory is reported as out_of_memory, and the batch still ends', () => {
    const out = path.join(tmp, 'oom');
    const r = batch([GOOD, '--out-dir', out, '--jobs', '1', '--max-memory', '24']);
    expect(r.status).toBe(1);
    const s = readJson(path.join(out, 'summary.json'));
    expect(s.errors).toEqual({ out_of_memory: 1 });
    expect(r.stderr).toMatch(/\[out_of_memory\]$/m);
  });
});

describe('batch --shard', () => {
  it('K/N over the same inputs partitions them: every input in exactly one shard', () => {
    const names: string[][] = [];
    for (const k of [1, 2, 3]) {
      const r = batch([BAD_DIR, 'fixtures/no-such-file.pdf', '--ndjson', path.join(tmp, `shard${k}.ndjson`), '--shard', `${k}/3`, '--jobs', '1']);
      expect([0, 1]).toContain(r.status);
      names.push(journal(path.join(tmp, `shard${k}.ndjson.journal`)).map((e) => e.name));
    }
    const all = names.flat().sort();
    expect(all).toEqual([...Object.keys(BAD), 'no-such-file'].sort());
  });
});

describe('batch usage', () => {
  it('needs exactly one output, a valid --shard, and a file to resume into', () => {
    for (const args of [[GOOD], [GOOD, '--out-dir', tmp, '--ndjson', '-'], [GOOD, '--ndjson', '-', '--shard', '4/3'], [GOOD, '--ndjson', '-', '--resume'], [GOOD, '--ndjson', '-', '--jobs', '0']]) {
      const r = batch(args);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^budget-extract: .* \[usage\]\n$/);
    }
  });

  it('reads @- lists from stdin', () => {
    const r = batch(['@-', '--ndjson', '-'], `${BAD_DIR}/empty.pdf\n# comment\n${BAD_DIR}/not-a-pdf.pdf\n`);
    expect(r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l).error.code).sort()).toEqual(['empty', 'not_pdf']);
  });
});

describe('batch after kill -9', () => {
  it('--resume records every input once and redoes nothing recorded before the kill', async () => {
    const out = path.join(tmp, 'killed');
    const args = ['batch', BAD_DIR, GOOD, 'fixtures/huairen-gaj-2025.pdf', '--out-dir', out, '--jobs', '1'];
    // In a child node (cli/respawn.ts), which must die with the process killed.
    const child = spawn(BIN, args, { cwd: ROOT, stdio: 'ignore', env: { ...process.env, BUDGET_EXTRACT_V8_FLAGS: '--single-threaded' } });
    const jf = path.join(out, '.budget-extract', 'journal.ndjson');
    // Kill once a few inputs are recorded (or when it is about to finish on a fast machine).
    const t0 = Date.now();
    while (Date.now() - t0 < 60_000) {
      const n = fs.existsSync(jf) ? fs.readFileSync(jf, 'utf8').split('\n').filter(Boolean).length - 1 : 0;
      if (n >= 3) break;
      await new Promise((res) => setTimeout(res, 20));
    }
    child.kill('SIGKILL');
    await new Promise((res) => child.on('close', res));
    // The batch child dies with it (see the test below); a write it had under way may land first.
    await new Promise((res) => setTimeout(res, 300));
    const before = journal(jf);
    expect(before.length).toBeGreaterThanOrEqual(3);
    const r = batch(args.slice(1).concat('--resume'));
    const after = journal(jf);
    expect(after).toHaveLength(8);
    expect(new Set(after.map((e) => `${e.sha256}/${e.name}`)).size).toBe(8);
    const done = new Set(before.map((e) => `${e.sha256}/${e.name}`));
    expect(after.slice(before.length).filter((e) => done.has(`${e.sha256}/${e.name}`))).toEqual([]);
    const s = readJson(path.join(out, 'summary.json'));
    expect(s.resumed).toBe(before.length);
    expect(s.processed).toBe(8 - before.length);
    expect(fs.existsSync(path.join(out, 'huairen-gaj-2025.json'))).toBe(true);
    expect(r.status).toBe(1);
  });
});

describe('batch runs its workers in a child node with its V8 flags: single-threaded when every core has one (cli/respawn.ts)', () => {
  const cores = os.availableParallelism();
  // An @list: how many workers it needs is not known before it is read.
  const list = path.join(tmp, 'one.txt');
  fs.writeFileSync(list, `${GOOD}\n`);
  const run = (name: string, jobs: number, env: Record<string, string | undefined>, input = `@${list}`) => {
    const out = path.join(tmp, name);
    const r = spawnSync(BIN, ['batch', input, '--out-dir', out, '--jobs', String(jobs)], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, BUDGET_EXTRACT_V8_FLAGS: undefined, ...env }, timeout: 120_000 });
    return { r, summary: readJson(path.join(out, 'summary.json')) };
  };

  it('passes --single-threaded with a worker per core', () => {
    const { r, summary } = run('v8-default', cores, {});
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/refused/);
    expect(summary.runtime.execArgv).toContain('--single-threaded');
    expect(summary.ok).toBe(1);
  });

  it.skipIf(cores < 2)('keeps V8 helper threads when a core is spare (only the tiering flags of Node 20)', () => {
    const { r, summary } = run('v8-spare', 1, {});
    expect(r.status).toBe(0);
    expect(summary.runtime.execArgv).toEqual(tieringV8Flags());
    // Named files fewer than the cores: fewer workers than cores, whatever --jobs says.
    const one = run('v8-one-file', cores, {}, GOOD);
    expect(one.r.status).toBe(0);
    expect(one.summary.runtime.execArgv).toEqual(tieringV8Flags());
  });

  it('BUDGET_EXTRACT_V8_FLAGS sets the flags whatever --jobs is; empty runs in-process', () => {
    const custom = run('v8-custom', 1, { BUDGET_EXTRACT_V8_FLAGS: '--single-threaded-gc --max-semi-space-size=8' });
    expect(custom.r.status).toBe(0);
    expect(custom.summary.runtime.execArgv).toEqual(['--single-threaded-gc', '--max-semi-space-size=8']);
    const none = run('v8-none', cores, { BUDGET_EXTRACT_V8_FLAGS: '' });
    expect(none.r.status).toBe(0);
    expect(none.summary.runtime.execArgv).toEqual([]);
  });

  it('runs in-process, saying so, when node refuses a flag', () => {
    const { r, summary } = run('v8-refused', 1, { BUDGET_EXTRACT_V8_FLAGS: '--no-such-v8-flag-here' });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/node refused --no-such-v8-flag-here; running the batch without them/);
    expect(summary.runtime.execArgv).toEqual([]);
    expect(summary.ok).toBe(1);
  });

  /** `batch fixtures/dev` (every PDF there) in a child node, once two of its files are recorded. */
  async function devBatchUnderWay(out: string) {
    const env = { ...process.env, BUDGET_EXTRACT_V8_FLAGS: '--single-threaded' };
    const child = spawn(BIN, ['batch', 'fixtures/dev', '--out-dir', out, '--jobs', '1'], { cwd: ROOT, stdio: 'ignore', env });
    const jf = path.join(out, '.budget-extract', 'journal.ndjson');
    const t0 = Date.now();
    while (Date.now() - t0 < 60_000 && !(fs.existsSync(jf) && journal(jf).length >= 2)) await new Promise((res) => setTimeout(res, 20));
    return { child, jf };
  }

  it('a SIGINT to the command stops the batch in the child cleanly: exit 130, outputs and summary written', async () => {
    const out = path.join(tmp, 'sigint');
    const { child, jf } = await devBatchUnderWay(out);
    child.kill('SIGINT');
    const status = await new Promise<number | null>((res) => child.on('close', (code) => res(code)));
    expect(status).toBe(130);
    const s = readJson(path.join(out, 'summary.json'));
    expect(s.interrupted).toBe(true);
    expect(s.runtime.execArgv).toContain('--single-threaded');
    expect(s.processed).toBeGreaterThanOrEqual(2);
    const n = fs.readdirSync(path.join(ROOT, 'fixtures/dev')).filter((f) => f.endsWith('.pdf')).length;
    expect(s.inputs).toBe(n);
    expect(s.processed).toBeLessThan(n);
    expect(s.pending).toBe(n - s.processed);
    expect(journal(jf)).toHaveLength(s.processed);
  }, 150_000); // waits up to 60 s for the batch to get under way: more than the default test time on a loaded machine

  it.skipIf(!HAS_PROC)('the child dies with the command when it is killed with kill -9', async () => {
    const { child: parent, jf } = await devBatchUnderWay(path.join(tmp, 'orphan'));
    const [batchChild, ...more] = childrenOf(parent.pid!);
    expect(batchChild).toBeDefined();
    expect(more).toEqual([]);
    parent.kill('SIGKILL');
    await new Promise((res) => parent.on('close', res));
    const t1 = Date.now();
    while (running(batchChild!) && Date.now() - t1 < 500) await new Promise((res) => setTimeout(res, 10));
    expect(running(batchChild!)).toBe(false);
    // And nothing more is written: ten of the twelve files were still to do.
    const atDeath = fs.readFileSync(jf, 'utf8');
    await new Promise((res) => setTimeout(res, 1500));
    expect(fs.readFileSync(jf, 'utf8')).toBe(atDeath);
    expect(journal(jf).length).toBeLessThan(12);
  }, 150_000);
});
