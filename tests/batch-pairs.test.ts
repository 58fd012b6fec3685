/** `batch --pair-by department+year`: the budget/决算 pairs among a batch's outputs compared
 *  (src/compare/pairs.ts pairs them; src/batch/run.ts writes DIR/compare/ and the summary). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pairByDepartmentYear } from '../src/compare/pairs.js';
import { ERROR_CODES } from '../src/errors.js';
import type { Comparison } from '../src/compare/index.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin', 'budget-extract');
const tmp = mkdtempSync(path.join(tmpdir(), 'pairs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Id = { name: string; department: string | null; fiscalYear: number | null; kind: 'budget' | 'final_accounts' | null };
const pair = (ids: Id[]) => {
  const r = pairByDepartmentYear(ids, (d) => ({ document: { title: null, department: d.department, fiscalYear: d.fiscalYear, kind: d.kind } }));
  return { pairs: r.pairs.map((p) => [p.budget.name, p.final.name]), unpaired: r.unpaired.map((u) => [u.item.name, u.reason]) };
};

describe('pairing by department and year', () => {
  it('pairs one budget with one 决算 of the same department (spaces aside) and year', () => {
    expect(
      pair([
        { name: 'a', department: '清河县教育局', fiscalYear: 2025, kind: 'budget' },
        { name: 'b', department: '清河县 教育局', fiscalYear: 2025, kind: 'final_accounts' },
        { name: 'c', department: '清河县教育局', fiscalYear: 2024, kind: 'final_accounts' },
      ]),
    ).toEqual({ pairs: [['a', 'b']], unpaired: [['c', 'no 部门预算 of 清河县教育局 2024 among the inputs']] });
  });

  it('leaves unpaired what is ambiguous or unidentified, saying why', () => {
    const r = pair([
      { name: 'a', department: '某局', fiscalYear: 2025, kind: 'budget' },
      { name: 'a2', department: '某局', fiscalYear: 2025, kind: 'budget' },
      { name: 'b', department: '某局', fiscalYear: 2025, kind: 'final_accounts' },
      { name: 'x', department: null, fiscalYear: 2025, kind: 'budget' },
    ]);
    expect(r.pairs).toEqual([]);
    expect(r.unpaired).toEqual([
      ['x', 'no department or fiscal year read'],
      ['a', '2 部门预算 and 1 部门决算 of 某局 2025: which pair is meant is not known'],
      ['a2', '2 部门预算 and 1 部门决算 of 某局 2025: which pair is meant is not known'],
      ['b', '2 部门预算 and 1 部门决算 of 某局 2025: which pair is meant is not known'],
    ]);
  });
});

describe('budget-extract batch --pair-by department+year', () => {
  const run = (args: string[]) => spawnSync(BIN, ['batch', ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26, timeout: 300_000 });

  it('compares the pair into DIR/compare/ and lists the unpaired in summary.json', () => {
    const out = path.join(tmp, 'out');
    const r = run(['fixtures/dev/qinghe-jyj-2025.pdf', 'fixtures/dev/qinghe-jyj-2025-final.pdf', 'fixtures/dev/qinghe-sfj-2024-final.pdf', '--out-dir', out, '--pair-by', 'department+year', '--no-progress']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('pairs: 1 compared (D18 failed in 0), 1 unpaired');
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.pairs).toEqual([
      { department: '清河县教育局', fiscalYear: 2025, budget: 'qinghe-jyj-2025', final: 'qinghe-jyj-2025-final', output: 'compare/清河县教育局-2025.json', d18: { pass: 4, rounding: 0, fail: 0 } },
    ]);
    expect(summary.unpaired).toEqual([{ file: 'fixtures/dev/qinghe-sfj-2024-final.pdf', name: 'qinghe-sfj-2024-final', reason: 'no 部门预算 of 清河县司法局 2024 among the inputs' }]);
    const c = JSON.parse(readFileSync(path.join(out, 'compare', '清河县教育局-2025.json'), 'utf8')) as Comparison;
    expect(c.rows.find((x) => x.table === 'final_three_public' && x.row === 'total')).toMatchObject({ budget: '16.00', final: '15.79', rate: '98.69' });
  }, 300_000);

  it('needs --out-dir with JSON outputs', () => {
    const r = run(['fixtures/dev/qinghe-jyj-2025.pdf', '--ndjson', path.join(tmp, 'x.ndjson'), '--pair-by', 'department+year']);
    expect(r.status).toBe(ERROR_CODES.usage);
    expect(r.stderr).toMatch(/--pair-by needs --out-dir DIR with JSON outputs.*\[usage\]/);
    expect(existsSync(path.join(tmp, 'x.ndjson'))).toBe(false);
  });
});
