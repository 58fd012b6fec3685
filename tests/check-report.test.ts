/**
 * The report of `budget-extract check` on a document (src/checks/report.ts formatDocumentReport,
 * src/cli/check.ts): failures naming their tables as printed, "likely misread by us" vs "printed
 * that way", the tables not read cleanly, skipped checks grouped by reason (each with -v),
 * warnings, rounding, document warnings, core tables absent, counts; --strict on a degraded core
 * table. A hand-made document (the seed's truth tables), and one real file end to end.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkReport } from '../src/cli/check.js';
import { strictStatus } from '../src/cli/run.js';
import { degradedCoreTables, formatDocumentReport, tableName } from '../src/checks/report.js';
import type { CheckResult, Document } from '../src/model.js';
import { assessTables } from '../src/quality.js';
import { summarize } from '../src/checks/index.js';
import { sampleDocument } from './helpers/sample.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'budget-extract');
const REAL = path.resolve(ROOT, '..', 'shared', 'corpus', 'real');

const result = (id: string, status: CheckResult['status'], message: string, tables: string[] = []): CheckResult => ({
  id, rule: id.split(':')[0]!, status, message, left: null, right: null, difference: null, tolerance: null, unit: null,
  refs: { left: tables.map((table) => ({ table, row: '合计', field: 'total', page: 16 })), right: [] },
});

/** The seed's tables; its 三公 table garbled (an unmapped column, a row without a key). */
function doc(): Document {
  const d = sampleDocument();
  const tables = d.tables.map((t) =>
    t.id === 'three_public'
      ? { ...t, columns: [...t.columns, { field: 'col7', header: '机关运行经费' }], rows: [...t.rows, { key: '', code: null, name: '', level: null, side: null, page: t.pages[0]!, values: { total: '1.00', col7: '443.18' } }] }
      : t,
  );
  const checks: CheckResult[] = [
    result('B19:three_public:合计=出国+用车+接待.total', 'fail', 'three_public 合计.total 44.00 (p16) ≠ 45.50', ['three_public']),
    result('B7:general_budget', 'fail', 'general_budget_expenditure 合计.total 9115.55 ≠ 9115.75', ['general_budget_expenditure']),
    result('R:three_public:rows', 'skipped', 'three_public: unmapped numeric columns col7; row sums not checked'),
    result('B16:general_budget', 'skipped', 'project_expenditure absent'),
    result('B20:gov_fund_income', 'skipped', 'gov_fund_income absent'),
    result('B24:agency_operating', 'warning', 'agency_operating 合计.total 201.88 ≠ 183.53', ['agency_operating']),
    ...d.checks!,
  ];
  const assessed = assessTables(tables, checks);
  return {
    ...d,
    tables: assessed.tables,
    checks,
    summary: summarize(checks),
    warnings: [{ code: 'unit_assumed', message: '表3: no 单位 printed; assumed 万元', page: 9 }, ...assessed.warnings],
  };
}

describe('formatDocumentReport', () => {
  const three = () => doc().tables.find((t) => t.id === 'three_public')!;

  it('names a table as printed, with its id and pages', () => {
    expect(tableName({ number: '表7', title: '三公经费表', pages: [16] }, 'three_public')).toBe('表7 三公经费表 (three_public, p16)');
    expect(tableName({ number: null, title: '收入总表', pages: [8, 9] }, 'income_summary#2')).toBe('收入总表 (income_summary#2, p8–9)');
  });

  it('failures first, naming their tables and whether they are likely misread; then tables, skipped checks by reason, warnings, rounding', () => {
    const d = doc();
    const t = three();
    const name = tableName(t, 'three_public');
    const gbe = d.tables.find((x) => x.id === 'general_budget_expenditure')!;
    const lines = formatDocumentReport(d, { color: false }).split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'B19:three_public:合计=出国+用车+接待.total FAIL three_public 合计.total 44.00 (p16) ≠ 45.50',
      `  in ${name}; likely misread by us: three_public is degraded`,
      'B7:general_budget FAIL general_budget_expenditure 合计.total 9115.55 ≠ 9115.75',
      `  in ${tableName(gbe, 'general_budget_expenditure')}; read cleanly: printed that way`,
    ]);
    expect(lines.slice(4, 8)).toEqual(['', 'tables not read cleanly: 1 degraded, 0 unreadable', `DEGRADED ${name}: 1 unmapped column, 1 row without a key, 1 check skipped`, '']);
    expect(lines.slice(8, 11)).toEqual([
      'skipped checks: 3',
      '2 × a table it needs is absent: project_expenditure, gov_fund_income',
      `1 × unmapped numeric columns (in ${name})`,
    ]);
    expect(lines[12]).toBe('warnings: 1');
    expect(lines[13]).toMatch(/^B24:agency_operating WARN /);
    expect(lines).toContain('rounding: 1');
    expect(lines).toContain('document warnings: 1');
    expect(lines).toContain('unit_assumed: 表3: no 单位 printed; assumed 万元 (p9)');
    expect(lines.slice(-4)).toEqual([
      'core tables: all 7 found',
      `tables: ${d.tables.length - 1} ok, 1 degraded, 0 unreadable`,
      'checks: 2 fail, 1 warning, 1 rounding, 0 pass, 3 skipped',
      '',
    ]);
  });

  it('-v lists each problem and each skipped check', () => {
    const lines = formatDocumentReport(doc(), { color: false, verbose: true }).split('\n');
    const i = lines.findIndex((l) => l.startsWith('DEGRADED '));
    const p = three().pages[0];
    expect(lines.slice(i + 1, i + 4)).toEqual([
      `  column col7 "机关运行经费" is mapped to no field (p${p})`,
      `  a row without a name or code, 2 figures (p${p})`,
      `  check R:three_public:rows skipped: unmapped numeric columns col7; row sums not checked (p${p})`,
    ]);
    const j = lines.indexOf('1 × unmapped numeric columns');
    expect(lines[j + 1]).toBe('  R:three_public:rows skipped three_public: unmapped numeric columns col7; row sums not checked');
    expect(lines[j + 2]).toBe(`    in ${tableName(three(), 'three_public')}`);
  });

  it('says which core tables are absent', () => {
    const d = doc();
    const report = formatDocumentReport({ ...d, tables: d.tables.filter((t) => !['three_public', 'fiscal_summary'].includes(t.id)) }, { color: false });
    expect(report).toContain('\ncore tables absent: fiscal_summary, three_public\n');
  });

  it('checkReport heads it with the document line', () => {
    expect(checkReport(doc(), { color: false }).split('\n')[0]).toBe('huairen-gaj-2025.pdf: 怀仁市公安局 2025年预算, 13 tables, 44 pages');
  });
});

describe('--strict (main command and check)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('exits 3 on a failed check, else on a degraded core table, naming it; 0 without --strict', () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const d = doc();
    expect(degradedCoreTables(d).map((x) => x.label)).toEqual(['three_public']);
    expect(strictStatus('x.pdf', d, false)).toBe(0);
    expect(strictStatus('x.pdf', d, true)).toBe(3);
    expect(err.mock.calls.at(-1)![0]).toBe('budget-extract: x.pdf: 2 cross-checks failed (--strict) [checks_failed]\n');
    const kept = d.checks!.filter((c) => c.status !== 'fail');
    const noFail = { ...d, checks: kept, summary: summarize(kept) };
    expect(strictStatus('x.pdf', noFail, true)).toBe(3);
    expect(err.mock.calls.at(-1)![0]).toBe(
      `budget-extract: x.pdf: 1 core table not read cleanly (--strict): ${tableName(d.tables.find((t) => t.id === 'three_public')!, 'three_public')} degraded [checks_failed]\n`,
    );
    const clean = { ...noFail, tables: noFail.tables.map((t) => ({ ...t, quality: { status: 'ok' as const, problems: [] } })) };
    err.mockClear();
    expect(strictStatus('x.pdf', clean, true)).toBe(0);
    expect(err).not.toHaveBeenCalled();
  });
});

describe.skipIf(!existsSync(path.join(REAL, 'jiangsu-swbgt-2019-budget-tables.pdf')))('a real file with degraded core tables and no failed check', () => {
  it('check lists them; --strict exits 3 naming them', () => {
    const file = path.join(REAL, 'jiangsu-swbgt-2019-budget-tables.pdf');
    const r = spawnSync(BIN, ['check', file, '--strict'], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
    expect(r.status).toBe(3);
    expect(r.stdout).toContain('\ntables not read cleanly: 3 degraded, 0 unreadable\n');
    expect(r.stdout).toMatch(/^DEGRADED .*\(budget_summary, p1\): 1 check skipped$/m);
    expect(r.stdout).toMatch(/^DEGRADED .*\(expenditure_summary, p3\): 1 unmapped column, 1 check skipped$/m);
    expect(r.stdout).toMatch(/\nchecks: 0 fail, 0 warning, 0 rounding, 34 pass, 5 skipped\n$/);
    expect(r.stderr).toMatch(/^budget-extract: .*: 3 core tables not read cleanly \(--strict\): .*\(budget_summary, p1\) degraded; .*\(expenditure_summary, p3\) degraded; .*\(fiscal_summary, p4\) degraded \[checks_failed\]\n$/);
  }, 200_000);
});
