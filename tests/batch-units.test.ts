/** Batch building blocks: safe output names, the shard split, the resume journal, input expansion, progress. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandInputs } from '../src/batch/inputs.js';
import { Journal, JournalMismatch } from '../src/batch/journal.js';
import { assignNames, outputPath, safeName, safeSegment } from '../src/batch/names.js';
import { formatDuration, progressLine } from '../src/batch/progress.js';
import { inShard, parseShard, shardOf } from '../src/batch/shard.js';
import { batchV8Flags, shouldRespawn, tieringV8Flags } from '../src/cli/respawn.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'be-batch-units-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('output names', () => {
  it('cannot leave the output directory', () => {
    for (const raw of ['../../etc/passwd', '/etc/passwd', '..', '.', 'a/../../b', '..\\..\\win', '', '/']) {
      const name = safeName(raw);
      expect(name.split('/')).not.toContain('..');
      const p = outputPath(tmp, name, '.json');
      expect(p.startsWith(tmp + path.sep)).toBe(true);
    }
    expect(() => outputPath(tmp, '../x', '.json')).toThrow();
  });

  it('replaces characters Windows, macOS or a shell would choke on, and keeps Chinese', () => {
    expect(safeSegment('怀仁市公安局 2025')).toBe('怀仁市公安局 2025');
    expect(safeSegment('a:b*c?"d<e>f|g\\h')).toBe('a_b_c__d_e_f_g_h');
    expect(safeSegment('tab\there\u0000nul')).toBe('tab_here_nul');
    expect(safeSegment('.hidden')).toBe('_hidden');
    expect(safeSegment('trailing. ')).toBe('trailing__');
    expect(safeSegment('CON')).toBe('_CON');
    expect(safeSegment('lpt1.txt')).toBe('_lpt1.txt');
    expect(Buffer.byteLength(safeSegment('预'.repeat(200)))).toBeLessThanOrEqual(150);
    expect(safeName('county/dept/report')).toBe('county/dept/report');
  });

  it('gives a clashing name ~2, ~3, … (case-insensitively, and around reserved names), deterministically', () => {
    const raws = ['a', 'A', 'a', 'b/c', 'b/C', 'summary', 'a~2'];
    const names = assignNames(raws, ['summary']);
    expect(names).toEqual(['a', 'A~2', 'a~3', 'b/c', 'b/C~2', 'summary~2', 'a~2~2']);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
    expect(assignNames(raws, ['summary'])).toEqual(names);
  });
});

describe('--shard K/N', () => {
  it('parses K/N with 1 ≤ K ≤ N and rejects the rest', () => {
    expect(parseShard('2/4')).toEqual({ k: 2, n: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ k: 1, n: 1 });
    for (const bad of ['0/4', '5/4', '1/0', 'x', '1/', '/2', '1.5/3', '-1/3']) expect(() => parseShard(bad)).toThrow();
  });

  it('puts every input in exactly one shard, the same one every time', () => {
    const names = Array.from({ length: 500 }, (_, i) => `县${i % 17}/部门-${i}`);
    for (const n of [1, 2, 3, 4, 7, 16]) {
      const counts = new Map<string, number>();
      for (let k = 1; k <= n; k++) for (const name of names) if (inShard(name, { k, n })) counts.set(name, (counts.get(name) ?? 0) + 1);
      expect(counts.size).toBe(names.length);
      expect([...counts.values()].every((c) => c === 1)).toBe(true);
      for (const name of names.slice(0, 20)) expect(shardOf(name, n)).toBe(shardOf(name, n));
    }
    // Roughly even.
    const sizes = [1, 2, 3, 4].map((k) => names.filter((x) => inShard(x, { k, n: 4 })).length);
    expect(Math.min(...sizes)).toBeGreaterThan(80);
    expect(inShard('x', null)).toBe(true);
  });
});

describe('resume journal', () => {
  const entry = (i: number) => ({ sha256: String(i).repeat(64).slice(0, 64), name: `n${i}`, file: `f${i}.pdf`, status: 'ok' as const, ms: 1, end: i * 10 });

  it('keeps complete entries, drops a line cut by a kill, and refuses other options', async () => {
    const file = path.join(tmp, 'j1.ndjson');
    const j = await Journal.open(file, { format: 'json' }, false);
    await j.record(entry(1));
    await j.record(entry(2));
    await j.close();
    fs.appendFileSync(file, '{"sha256":"33333', 'utf8'); // killed mid-write
    const r = await Journal.open(file, { format: 'json' }, true);
    expect(r.size).toBe(2);
    expect(r.get(entry(1).sha256, 'n1')?.status).toBe('ok');
    expect(r.get(entry(1).sha256, 'other')).toBeUndefined();
    expect(r.streamEnd).toBe(20);
    await r.record(entry(3));
    await r.close();
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(4); // header + 3, the cut line gone
    expect(() => JSON.parse(lines[3]!)).not.toThrow();
    await expect(Journal.open(file, { format: 'xml' }, true)).rejects.toBeInstanceOf(JournalMismatch);
  });

  it('starts afresh without --resume', async () => {
    const file = path.join(tmp, 'j2.ndjson');
    const j = await Journal.open(file, { format: 'json' }, false);
    await j.record(entry(1));
    await j.close();
    const k = await Journal.open(file, { format: 'json' }, false);
    expect(k.size).toBe(0);
    await k.close();
  });
});

describe('inputs', () => {
  it('expands directories (sorted, recursive, *.pdf only), @lists and files; drops repeats', async () => {
    const d = path.join(tmp, 'in');
    fs.mkdirSync(path.join(d, 'sub'), { recursive: true });
    for (const f of ['b.pdf', 'a.PDF', 'notes.txt', 'sub/a.pdf']) fs.writeFileSync(path.join(d, f), '%PDF-1.4');
    const list = path.join(tmp, 'list.txt');
    fs.writeFileSync(list, `# a comment\n\n${path.join(d, 'b.pdf')}\n${path.join(tmp, 'missing.pdf')}\n`);
    const got = await expandInputs([d, `@${list}`, path.join(d, 'sub', 'a.pdf')]);
    expect(got.map((g) => g.name)).toEqual(['a', 'b', 'sub/a', 'missing']);
    expect(got[0]!.file).toBe(path.join(d, 'a.PDF'));
    const fromStdin = await expandInputs(['@-'], [], async () => `${path.join(d, 'b.pdf')}\n`);
    expect(fromStdin.map((g) => g.name)).toEqual(['b']);
    await expect(expandInputs([`@${path.join(tmp, 'nope.txt')}`])).rejects.toThrow(/cannot read the list/);
  });
});

describe('progress', () => {
  it('shows done/total, files/s, ETA and failures', () => {
    const line = progressLine({ done: 50, total: 200, failed: 3, skipped: 0, startedMs: 0 }, 10_000);
    expect(line).toBe('50/200 (25%) · 5.00 files/s · ETA 30s · 3 failed');
    expect(formatDuration(3725)).toBe('1h02m');
    expect(formatDuration(125)).toBe('2m05s');
  });
});

describe('batch V8 flags (the batch child)', () => {
  const node20 = '11.3.244.8-node.33';
  const node22 = '12.4.254.21-node.33';
  it('on Node 20 the tiering budget always; --single-threaded with a worker on every core', () => {
    expect(batchV8Flags(2, 2, {}, node20)).toEqual(['--interrupt-budget=1600000', '--single-threaded']);
    expect(batchV8Flags(8, 2, {}, node20)).toEqual(['--interrupt-budget=1600000', '--single-threaded']);
    expect(batchV8Flags(1, 2, {}, node20)).toEqual(['--interrupt-budget=1600000']);
    expect(batchV8Flags(3, 4, {}, node20)).toEqual(['--interrupt-budget=1600000']);
  });
  it('on V8 12+ (Node 22, 24) only --single-threaded, with a worker on every core', () => {
    expect(tieringV8Flags(node22)).toEqual([]);
    expect(batchV8Flags(2, 2, {}, node22)).toEqual(['--single-threaded']);
    expect(batchV8Flags(1, 2, {}, node22)).toEqual([]);
  });
  it('BUDGET_EXTRACT_V8_FLAGS replaces them, whatever --jobs is', () => {
    expect(batchV8Flags(1, 2, { BUDGET_EXTRACT_V8_FLAGS: ' --a  --b=1 ' }, node20)).toEqual(['--a', '--b=1']);
    expect(batchV8Flags(2, 2, { BUDGET_EXTRACT_V8_FLAGS: '' }, node20)).toEqual([]);
    expect(batchV8Flags(2, 2, { BUDGET_EXTRACT_V8_FLAGS: '  ' }, node20)).toEqual([]);
  });
  it('a child is started when there are flags, never twice', () => {
    expect(shouldRespawn(['--single-threaded'], {})).toBe(true);
    expect(shouldRespawn([], {})).toBe(false);
    expect(shouldRespawn(['--single-threaded'], { BUDGET_EXTRACT_BATCH_CHILD: '1' })).toBe(false);
  });
});
