/**
 * `budget-extract compare`: the dev pair fixtures/dev/qinghe-jyj-2025.pdf (部门预算) and
 * qinghe-jyj-2025-final.pdf (its 决算, same department and year; the generator makes every D18
 * relation hold): D18 checks, the side-by-side, one altered budget figure, two departments refused.
 * The CLI runs end to end from bin/budget-extract (tests/global-setup.ts builds dist/).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPdf } from '../src/pdf/load.js';
import { extractDocument } from '../src/extract.js';
import { compareDocuments, type Comparison } from '../src/compare/index.js';
import { compareCsv, compareText } from '../src/compare/format.js';
import { narrativeObject } from '../src/narrative/extract.js';
import { ERROR_CODES } from '../src/errors.js';
import { ExtractError } from '../src/errors.js';
import { Comparison as ComparisonSchema, type Document } from '../src/model.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const DEV = path.join(ROOT, 'fixtures', 'dev');
const BIN = path.join(ROOT, 'bin', 'budget-extract');
let budget: Document;
let final: Document;
let other: Document;
let c: Comparison;
let tmp: string;

const extract = async (name: string) =>
  extractDocument(await loadPdf(new Uint8Array(readFileSync(path.join(DEV, `${name}.pdf`)))), { file: `${name}.pdf`, sha256: 'x' });

beforeAll(async () => {
  budget = await extract('qinghe-jyj-2025');
  final = await extract('qinghe-jyj-2025-final');
  other = await extract('qinghe-sfj-2024-final');
  c = compareDocuments(budget, final);
  tmp = mkdtempSync(path.join(tmpdir(), 'compare-'));
  writeFileSync(path.join(tmp, 'budget.json'), JSON.stringify(budget));
  writeFileSync(path.join(tmp, 'final.json'), JSON.stringify(final));
  writeFileSync(path.join(tmp, 'other.json'), JSON.stringify(other));
}, 180_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const line = (cmp: Comparison, table: string, row: string, field: string) => cmp.rows.find((r) => r.table === table && r.row === row && r.field === field);

describe('compare qinghe-jyj-2025 with its 决算', () => {
  it('D18: every 预算数 of the 决算 equals the budget, with both documents’ pages', () => {
    expect(c.checks.map((x) => [x.id, x.status])).toEqual([
      ['D18:final_three_public:total.total', 'pass'],
      ['D18:final_three_public:reception.total', 'pass'],
      ['D18:final_three_public:vehicle.total', 'pass'],
      ['D18:final_three_public:vehicle_operation.total', 'pass'],
    ]);
    const total = c.checks[0]!;
    expect(total.refs.left).toMatchObject([{ table: 'final_three_public', field: 'budget', page: 17 }]);
    expect(total.refs.right).toMatchObject([{ table: 'three_public', field: 'total', page: 18 }]);
    expect(c.summary).toMatchObject({ pass: 4, fail: 0 });
    expect(ComparisonSchema.safeParse(c).error?.issues ?? []).toEqual([]);
    expect(c.budget).toEqual({ file: 'qinghe-jyj-2025.pdf', department: '清河县教育局', fiscalYear: 2025 });
  });

  it('sets budget against outturn table by table, with the execution rate', () => {
    expect(line(c, 'final_three_public', 'total', 'total')).toMatchObject({
      budget: '16.00', finalBudget: '16.00', final: '15.79', difference: '-0.21', rate: '98.69', unit: '万元', budgetPage: 18, finalPage: 17,
    });
    expect(line(c, 'final_general_budget_expenditure', '2050203', 'total')).toMatchObject({ name: '初中教育', budget: '4107.12', final: '4047.31', difference: '-59.81', rate: '98.54' });
    expect(line(c, 'final_summary', 'income:carryover', 'amount')).toMatchObject({ budget: '45.22', final: '45.22', rate: '100.00' });
    expect(line(c, 'final_expenditure', 'total', 'basic')).toMatchObject({ budget: '7732.95', final: '7631.50' });
    // a budget 基本支出表 keyed by name meets its 决算 keyed by code
    expect(line(c, 'final_general_budget_basic', '30107', 'personnel')).toMatchObject({ name: '绩效工资', budget: '1651.96', final: '1628.18' });
    // a line for every figure both print, none for what only one prints
    expect(c.rows.length).toBeGreaterThan(150);
    expect(c.rows.every((r) => r.budget !== null && (r.final !== null || r.finalBudget !== null))).toBe(true);
  });

  it('its execution rates are the ones the 决算 情况说明 states for each 项', () => {
    const n = narrativeObject(final.narrative ?? []);
    const rates = Object.entries(n).filter(([k]) => k.startsWith('generalBudgetItemRate.'));
    expect(rates.length).toBe(10);
    const gbe = c.rows.filter((r) => r.table === 'final_general_budget_expenditure' && r.field === 'total');
    for (const [k, rate] of rates) {
      const name = k.split('/').pop()!;
      expect([name, gbe.find((r) => r.name === name && /^\d{7}$/.test(r.row))?.rate]).toEqual([name, rate]);
    }
  });

  it('one budget figure altered fails exactly that D18 check', () => {
    const altered = structuredClone(budget);
    const tp = altered.tables.find((t) => t.id === 'three_public')!;
    tp.rows.find((r) => r.key === '公务接待费')!.values.total = '1.50';
    const x = compareDocuments(altered, final);
    expect(x.checks.filter((k) => k.status !== 'pass').map((k) => [k.id, k.status])).toEqual([['D18:final_three_public:reception.total', 'fail']]);
    expect(x.checks.find((k) => k.status === 'fail')!.message).toContain('1.50');
  });

  it('refuses two departments, and two budgets, with not_a_pair', () => {
    expect(() => compareDocuments(budget, other)).toThrowError(ExtractError);
    expect(() => compareDocuments(budget, other)).toThrowError(/not the same department/);
    expect(() => compareDocuments(budget, budget)).toThrowError(/needs one 部门预算 and one 部门决算/);
  });

  it('takes the documents in either order', () => {
    expect(compareDocuments(final, budget).rows).toEqual(c.rows);
  });

  it('writes CSV and a text report with the same figures', () => {
    const csv = compareCsv(c).split('\r\n');
    expect(csv.length).toBe(c.rows.length + 2); // header, rows, the empty string after the last CRLF
    expect(csv[0]).toBe('table,budget_table,row,name,field,unit,budget,final_budget,final,difference,rate,budget_page,final_page,d18');
    expect(csv).toContain('final_three_public,three_public,total,合计,total,万元,16.00,16.00,15.79,-0.21,98.69,18,17,pass');
    const text = compareText(c);
    expect(text).toContain('D18: every 预算数 the 决算 prints equals the budget\'s (4 compared)');
    expect(text).toMatch(/2050203 初中教育\s+total\s+4107\.12\s+4047\.31\s+-59\.81\s+98\.54%/);
  });
});

describe('budget-extract compare (CLI, on the JSON outputs)', () => {
  const run = (args: string[]) => spawnSync(BIN, ['compare', ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28, timeout: 120_000 });

  it('prints JSON by default, CSV and text with --format', () => {
    const r = run([path.join(tmp, 'budget.json'), path.join(tmp, 'final.json')]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as Comparison;
    expect(out.summary).toEqual(c.summary);
    expect(out.rows).toEqual(c.rows);
    const csv = run([path.join(tmp, 'budget.json'), path.join(tmp, 'final.json'), '--format', 'csv']);
    expect(csv.stdout.split('\r\n').length).toBe(c.rows.length + 2);
    const text = run([path.join(tmp, 'final.json'), path.join(tmp, 'budget.json'), '--format', 'text']);
    expect(text.stdout).toContain('预算 qinghe-jyj-2025.pdf (清河县教育局 2025)');
  });

  it('refuses a pair of two departments with exit not_a_pair and one line', () => {
    const r = run([path.join(tmp, 'budget.json'), path.join(tmp, 'other.json')]);
    expect(r.status).toBe(ERROR_CODES.not_a_pair);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/not the same department: .*清河县教育局.*清河县司法局.*\[not_a_pair\]$/m);
  });

  it('--strict exits 3 when a D18 check fails', () => {
    const altered = JSON.parse(readFileSync(path.join(tmp, 'budget.json'), 'utf8')) as Document;
    altered.tables.find((t) => t.id === 'three_public')!.rows[0]!.values.total = '99.00';
    writeFileSync(path.join(tmp, 'altered.json'), JSON.stringify(altered));
    const r = run([path.join(tmp, 'altered.json'), path.join(tmp, 'final.json'), '--strict', '--format', 'text']);
    expect(r.status).toBe(3);
    expect(r.stdout).toContain('D18:final_three_public:total.total FAIL');
  });
});
