/**
 * The quality verdict of each table (src/quality.ts): problems found in a table as output and in
 * the checks run on it, the status they give, the warnings they become, and the completeness
 * warnings of a document. Hand-made tables, exact values.
 */
import { describe, expect, it } from 'vitest';
import { runChecks } from '../src/checks/index.js';
import { type CheckResult, Document, type Table } from '../src/model.js';
import { assessTables, checkTable, completenessWarnings, skipReason, tableLabels, tableProblems } from '../src/quality.js';
import { parseXml, toXml } from '../src/output/xml.js';
import { sampleDocument } from './helpers/sample.js';
import { extractTables } from '../src/tables/index.js';
import { extractDocument } from '../src/extract.js';
import type { LoadedDocument, PageData } from '../src/pdf/types.js';

type RowIn = Partial<Table['rows'][number]> & { key: string; values: Record<string, string> };

function table(id: string, columns: [string, string][], rows: RowIn[], extra: Partial<Table> = {}): Table {
  return {
    id, number: '表7', title: '三公经费表', department: null, unit: '万元', pages: [12, 13], empty: false,
    columns: columns.map(([field, header]) => ({ field, header })),
    rows: rows.map((r) => ({ code: null, name: r.key, level: null, side: null, page: 12, ...r })),
    ...extra,
  };
}

const skippedCheck = (id: string, message: string): CheckResult => ({
  id, rule: id.split(':')[0]!, status: 'skipped', message, left: null, right: null, difference: null, tolerance: null, unit: null,
  refs: { left: [], right: [] },
});

describe('tableProblems', () => {
  it('a clean table has none', () => {
    const t = table('three_public', [['total', '合计']], [{ key: '合计', values: { total: '47.91' } }, { key: '公务接待费', values: { total: '1.35' } }]);
    expect(tableProblems(t, 'three_public')).toEqual([]);
  });

  it('names an unmapped column with its header and the page of its first figure', () => {
    const t = table('three_public', [['total', '合计'], ['col7', '机关运行经费']], [
      { key: '合计', values: { total: '47.91' } },
      { key: '公务接待费', page: 13, values: { total: '1.35', col7: '443.18' } },
    ]);
    expect(tableProblems(t, 'three_public')).toEqual([
      { code: 'unmapped_column', message: '表7 三公经费表 (three_public): column col7 "机关运行经费" is mapped to no field', page: 13, field: 'col7', header: '机关运行经费' },
    ]);
  });

  it('names rows keyed "" or only #N', () => {
    const t = table('three_public', [['total', '合计']], [
      { key: '', name: '', values: { total: '1.00' } },
      { key: '#2', name: '', page: 13, values: { total: '2.00', budget: '3.00' } },
      { key: '公务接待费#2', values: { total: '2.00' } },
    ]);
    expect(tableProblems(t, 'three_public#2')).toEqual([
      { code: 'row_without_key', message: '表7 三公经费表 (three_public#2): a row without a name or code, 1 figure', page: 12, row: '' },
      { code: 'row_without_key', message: '表7 三公经费表 (three_public#2): a row without a name or code (keyed #2), 2 figures', page: 13, row: '#2' },
    ]);
  });

  it('sees a 行次 column read as figures, by its header or its line numbers, and a 栏次 row', () => {
    const byHeader = table('income_summary', [['col1', '行次'], ['total', '合计']], [
      { key: '合计', values: { col1: '1', total: '9.00' } },
      { key: '201', values: { col1: '2', total: '9.00' } },
    ]);
    expect(tableProblems(byHeader, 'income_summary').map((p) => [p.code, p.field])).toEqual([['column_numbers', 'col1']]);
    const byNumbers = table('income_summary', [['col2', ''], ['total', '合计']], [
      { key: '合计', values: { col2: '1', total: '9.00' } },
      { key: '201', values: { col2: '2', total: '9.00' } },
      { key: '20101', values: { col2: '3', total: '9.00' } },
    ]);
    expect(tableProblems(byNumbers, 'income_summary').map((p) => [p.code, p.field])).toEqual([['column_numbers', 'col2']]);
    const row = table('income_summary', [['total', '合计'], ['carryover', '上年结转']], [
      { key: '栏次', values: { total: '1', carryover: '2' } },
      { key: '合计', values: { total: '9.00', carryover: '0' } },
    ]);
    expect(tableProblems(row, 'income_summary')).toEqual([
      { code: 'column_numbers', message: '表7 三公经费表 (income_summary): a row of column numbers (栏次) read as figures', page: 12, row: '栏次' },
    ]);
  });

  it('reads the fields against the contract: unknown ids, current_year as the whole amount, blocks sharing one field', () => {
    const t = table('final_income', [['current_year', '本年收入合计'], ['fiscal_total', '财政拨款收入'], ['actual', '决算数']], [
      { key: '合计', values: { current_year: '9.00', fiscal_total: '9.00', actual: '9.00' } },
    ]);
    expect(tableProblems(t, 'final_income')).toEqual([
      { code: 'field_outside_contract', message: '表7 三公经费表 (final_income): field actual ("决算数") is not a field of the contract', page: 12, field: 'actual', header: '决算数' },
      { code: 'field_outside_contract', message: '表7 三公经费表 (final_income): current_year ("本年收入合计") is the only whole amount; the contract makes it total', page: 12, field: 'current_year', header: '本年收入合计' },
    ]);
    // beside 上年结转, current_year is right; prior_/change_ make contract fields
    const ok = table('income_summary', [['total', '合计'], ['current_year', '本年收入'], ['carryover', '上年结转'], ['prior_total', '上年'], ['change_total', '增减']], [
      { key: '合计', values: { total: '9.00', current_year: '8.00', carryover: '1.00', prior_total: '7.00', change_total: '2.00' } },
    ]);
    expect(tableProblems(ok, 'income_summary')).toEqual([]);
    const blocks = table('final_general_budget_basic', [['total', '人员经费/决算数'], ['total', '公用经费/决算数']], [
      { key: '301', group: 0, values: { total: '5.00' } },
      { key: '302', group: 1, values: { total: '4.00' } },
    ]);
    expect(tableProblems(blocks, 'final_general_budget_basic')).toEqual([
      { code: 'field_repeated', message: '表7 三公经费表 (final_general_budget_basic): 2 side-by-side blocks all read as total; what each block holds is not told', page: 12, field: 'total' },
    ]);
    const twoSided = table('budget_summary', [['amount', '金额'], ['total', '合计'], ['total', '合计']], [
      { key: '财政拨款', side: 'income', values: { amount: '5.00' } },
      { key: '201', side: 'expenditure', group: 1, values: { total: '4.00' } },
    ]);
    expect(tableProblems(twoSided, 'budget_summary')).toEqual([]);
  });

  it('a non-empty table without figures is no_values; an empty table has no problem', () => {
    const none = table('three_public', [['col1', '']], [{ key: '合计', values: {} }]);
    expect(tableProblems(none, 'three_public')).toEqual([
      { code: 'no_values', message: '表7 三公经费表 (three_public): no figure could be read', page: 12 },
    ]);
    expect(tableProblems(table('three_public', [], [], { empty: true }), 'three_public')).toEqual([]);
  });
});

describe('check ids and skip reasons', () => {
  it('labels repeated ids #2 as the checks do, and reads the table of a check', () => {
    expect(tableLabels([{ id: 'a' }, { id: 'b' }, { id: 'a' }])).toEqual(['a', 'b', 'a#2']);
    expect(checkTable({ id: 'H:general_budget_basic#2:list' })).toBe('general_budget_basic#2');
    expect(checkTable({ id: 'B1:budget_summary' })).toBeNull();
  });

  it('shortens the reasons', () => {
    expect(skipReason('three_public: unmapped numeric columns col3, col4; row sums not checked')).toBe('unmapped numeric columns');
    expect(skipReason('project_expenditure#2: 其中：部分项目; its rows need not add up to the total')).toBe('a note says the list is partial');
    expect(skipReason('agency_operating: rows without names or with numbered levels; list sums not checked')).toBe('rows without names or with numbered levels');
    expect(skipReason('budget_summary: 收入总计 or 支出总计 row not found')).toBe('收入总计 or 支出总计 row not found');
    expect(skipReason('budget_summary: unrecognised income rows 其他, 杂项')).toBe('unrecognised income rows');
    expect(skipReason('budget_summary: unrecognised rows 其他')).toBe('unrecognised rows');
  });
});

describe('assessTables', () => {
  const good = table('income_summary', [['total', '合计']], [{ key: '合计', values: { total: '9.00' } }]);
  const bad = table('three_public', [['total', '合计'], ['col3', '其他']], [{ key: '合计', values: { total: '1.00', col3: '2.00' } }]);
  const partial = table('project_expenditure', [['total', '合计']], [{ key: '合计', values: { total: '5.00' } }], { number: null, title: '项目支出表' });
  const checks = [
    skippedCheck('R:three_public:rows', 'three_public: unmapped numeric columns col3; row sums not checked'),
    skippedCheck('H:project_expenditure:list', 'project_expenditure: 其中：部分项目; its rows need not add up to the total'),
    skippedCheck('B16:general_budget', 'project_expenditure absent'),
  ];

  it('gives each table its status and problems, and a warning per problem naming the table', () => {
    const { tables, warnings } = assessTables([good, bad, partial], checks);
    expect(tables.map((t) => t.quality?.status)).toEqual(['ok', 'degraded', 'degraded']);
    expect(tables[0]!.quality).toEqual({ status: 'ok', problems: [] });
    expect(tables[1]!.quality!.problems.map((p) => [p.code, p.check ?? p.field, p.reason])).toEqual([
      ['unmapped_column', 'col3', undefined],
      ['check_skipped', 'R:three_public:rows', 'unmapped numeric columns'],
    ]);
    expect(tables[2]!.quality!.problems).toEqual([
      {
        code: 'check_skipped', message: '项目支出表 (project_expenditure): check H:project_expenditure:list skipped: 其中：部分项目; its rows need not add up to the total',
        page: 12, check: 'H:project_expenditure:list', reason: 'a note says the list is partial',
      },
    ]);
    expect(warnings).toEqual([
      { code: 'quality_unmapped_column', message: '表7 三公经费表 (three_public): column col3 "其他" is mapped to no field', page: 12, table: 'three_public' },
      { code: 'quality_check_skipped', message: '表7 三公经费表 (three_public): check R:three_public:rows skipped: unmapped numeric columns col3; row sums not checked', page: 12, table: 'three_public' },
      { code: 'quality_check_skipped', message: '项目支出表 (project_expenditure): check H:project_expenditure:list skipped: 其中：部分项目; its rows need not add up to the total', page: 12, table: 'project_expenditure' },
    ]);
  });

  it('a table without figures is unreadable', () => {
    const none = table('three_public', [], [{ key: '合计', values: {} }]);
    expect(assessTables([none], []).tables[0]!.quality!.status).toBe('unreadable');
  });

  it('attaches the skipped check of the real engine to the second table of an id', () => {
    const second = table('three_public', [['total', '合计'], ['col3', '']], [{ key: '合计', values: { total: '1.00', col3: '2.00' } }], { pages: [20] });
    const first = table('three_public', [['total', '合计']], [{ key: '合计', values: { total: '1.00' } }]);
    const ts = [first, second];
    const { tables } = assessTables(ts, runChecks(ts));
    expect(tables.map((t) => t.quality!.problems.map((p) => p.check ?? p.code))).toEqual([[], ['unmapped_column', 'B19:three_public#2:rows']]);
  });
});

describe('completenessWarnings', () => {
  const t = (id: string) => table(id, [['total', '合计']], [{ key: '合计', values: { total: '1.00' } }]);
  it('says when no table was recognised', () => {
    expect(completenessWarnings([], null)).toEqual([{ code: 'no_tables', message: 'no table was recognised', page: null }]);
    expect(completenessWarnings([t('unknown')], 'budget')).toEqual([{ code: 'no_tables', message: 'no table was recognised (1 unknown)', page: null }]);
  });
  it('says when none of the core tables of the kind was recognised', () => {
    expect(completenessWarnings([t('project_expenditure')], 'budget')).toEqual([
      {
        code: 'no_core_tables',
        message: 'none of the core tables of a budget disclosure was recognised (budget_summary, income_summary, expenditure_summary, fiscal_summary, general_budget_expenditure, general_budget_basic, three_public)',
        page: null,
      },
    ]);
    expect(completenessWarnings([t('project_expenditure'), t('three_public')], 'budget')).toEqual([]);
  });
});

describe('output', () => {
  it('quality is in the model and survives XML', () => {
    const doc = sampleDocument();
    const { tables, warnings } = assessTables(doc.tables, doc.checks);
    const bad = table('three_public', [['col3', '其他']], [{ key: '', values: { col3: '2.00' } }]);
    const withQ = { ...doc, tables: [...tables, ...assessTables([bad], []).tables], warnings: [...doc.warnings, ...warnings] };
    expect(Document.safeParse(withQ).success).toBe(true);
    expect(withQ.tables.at(-1)!.quality!.status).toBe('degraded');
    expect(parseXml(toXml(withQ))).toEqual(withQ);
    expect(toXml(withQ)).toContain('<problem code="unmapped_column"');
  });
});

describe('a disclosure with no recognised table', () => {
  const page = (index: number, lines: string[]): PageData => ({
    index, width: 595, height: 842, rotate: 0, hLines: [], vLines: [],
    runs: lines.map((text, i) => ({ text, x: 72, y: 100 + 24 * i, w: 12 * text.length, size: 12, font: 'f' })),
  });
  const loaded: LoadedDocument = {
    info: { pages: 2, producer: null, title: null },
    warnings: [],
    pages: [
      page(1, ['某某市某某局', '2025年部门预算公开']),
      page(2, ['一、部门主要职责', '负责全市某某工作的统筹协调和监督管理，组织实施有关政策。', '二、部门预算情况说明', '本部门2025年收入预算和支出预算均按规定编制并公开。']),
    ],
  };

  it('is still output, with a warning that says so', () => {
    const out = extractDocument(loaded, { file: 'x.pdf', sha256: 'x' });
    expect(Document.safeParse(out).success).toBe(true);
    expect(out.tables).toEqual([]);
    expect(out.warnings.filter((w) => w.code.startsWith('no_'))).toEqual([{ code: 'no_tables', message: 'no table was recognised', page: null }]);
  });
});

describe('figures the reading left out (figures_lost)', () => {
  const run = (text: string, x: number, y: number, w: number, size = 10) => ({ text, x, y, w, size, font: 'f' });
  /** A 一般公共预算支出表 whose 20101 合计 is printed `3O.00` (a letter O for a zero). */
  const runs = [
    run('一般公共预算支出表', 300, 60, 200, 14), run('单位：万元', 700, 80, 50),
    run('科目编码', 60, 120, 40), run('科目名称', 160, 120, 40), run('合计', 400, 120, 20), run('基本支出', 500, 120, 40), run('项目支出', 600, 120, 40),
    run('201', 60, 140, 20), run('一般公共服务支出', 160, 140, 80), run('30.00', 400, 140, 25), run('20.00', 500, 140, 25), run('10.00', 600, 140, 25),
    run('20101', 60, 156, 30), run('人大事务', 160, 156, 40), run('3O.00', 400, 156, 25), run('20.00', 500, 156, 25), run('10.00', 600, 156, 25),
  ];
  const pageOf = (): PageData => ({ index: 1, width: 842, height: 595, rotate: 0, runs, hLines: [], vLines: [] });

  it('unreadable_figure_in_amount_column: the table is degraded, the figure named with its page', () => {
    const { tables, lost } = extractTables([pageOf()]);
    expect(lost).toEqual([[{ page: 1, text: '3O.00', reason: 'unreadable' }]]);
    const t = assessTables(tables, [], lost);
    expect(t.tables[0]!.quality).toEqual({
      status: 'degraded',
      problems: [{ code: 'figures_lost', message: '一般公共预算支出表 (general_budget_expenditure): 1 figure in an amount column but not readable as an amount: "3O.00" (p1)', page: 1, reason: 'unreadable' }],
    });
    expect(t.warnings.map((w) => [w.code, w.table])).toEqual([['quality_figures_lost', 'general_budget_expenditure']]);
  });

  it('a table whose every figure was taken has no such problem', () => {
    const clean = runs.map((r) => (r.text === '3O.00' ? { ...r, text: '30.00' } : r));
    const { tables, lost } = extractTables([{ ...pageOf(), runs: clean }]);
    expect(lost).toEqual([[]]);
    expect(assessTables(tables, [], lost).tables[0]!.quality).toEqual({ status: 'ok', problems: [] });
  });
});
