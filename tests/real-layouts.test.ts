/** One small hand-made case per layout class of real disclosures that issue "Real disclosures
 *  cell-exact" fixed (the real files are in ../shared/corpus/realtruth; these stand for them
 *  in a fresh clone). Each test is named for the quirk, as in tests/quirks.test.ts. */
import { describe, expect, it } from 'vitest';
import type { PageData, Segment, TextRun } from '../src/pdf/types.js';
import { extractTables } from '../src/tables/index.js';
import { headerTexts, type ColKind } from '../src/tables/columns.js';
import { groupLines } from '../src/layout/lines.js';
import { findDef } from '../src/tables/definitions.js';
import { mapFields, threePublicRowKey } from '../src/tables/fields.js';
import { CodeJoiner, nameKey } from '../src/tables/rows.js';

const run = (text: string, x: number, y: number, w: number, size = 10): TextRun => ({ text, x, y, w, size, font: 'f' });
const page = (runs: TextRun[], extra: Partial<PageData> = {}): PageData => ({ index: 1, width: 842, height: 595, rotate: 0, runs, hLines: [], vLines: [], ...extra });
const tableOf = (runs: TextRun[], extra: Partial<PageData> = {}) => extractTables([page(runs, extra)]).tables[0]!;
const fieldsOf = (headers: string[], kinds: ColKind[], title: string) => mapFields(headers.map(() => ({ x0: 0, x1: 0 })), kinds, headers, findDef(title));
const vRule = (x: number, y1: number, y2: number): Segment => ({ x1: x, y1, x2: x, y2 });

describe('header → field (real layouts)', () => {
  it('column_number_row_under_the_header: 栏次 1 2 3 and ** are no header level', () => {
    expect(fieldsOf(['科目编码/**', '科目名称/**', '合计/1', '人员经费/2', '公用经费/3'], ['code', 'label', 'amount', 'amount', 'amount'], '一般公共预算基本支出表')).toEqual([null, null, 'total', 'personnel', 'public_funds']);
  });
  it('spanning_header_restating_the_table: 本年政府性基金预算支出 over 合计/基本支出/项目支出', () => {
    expect(fieldsOf(['科目名称', '本年政府性基金预算支出/合计', '本年政府性基金预算支出/基本支出', '本年政府性基金预算支出/项目支出'], ['label', 'amount', 'amount', 'amount'], '政府性基金预算支出表')).toEqual([null, 'total', 'basic', 'project']);
  });
  it('basic_only_table_subtotal: 基本支出预算/小计 in a basic table is total', () => {
    expect(fieldsOf(['部门预算支出经济分类科目名称', '基本支出预算/小计', '基本支出预算/人员支出', '基本支出预算/日常公用支出'], ['label', 'amount', 'amount', 'amount'], '一般公共预算基本支出情况表')).toEqual([null, 'total', 'personnel', 'public_funds']);
  });
  it('carryover_sub_columns: 上年结转结余/基本支出 is carryover_basic, its 小计 carryover', () => {
    expect(fieldsOf(['科目名称', '合计', '当年预算/小计', '当年预算/基本支出', '上年结转结余/小计', '上年结转结余/基本支出', '上年结转结余/项目支出'], ['label', 'amount', 'amount', 'amount', 'amount', 'amount', 'amount'], '支出总表')).toEqual([null, 'total', 'current_year', 'basic', 'carryover', 'carryover_basic', 'carryover_project']);
  });
  it('whole_amount_first_in_a_two_sided_list: 本年预算 | 编制预算 | 上年结转', () => {
    expect(fieldsOf(['收入/项目', '收入/本年预算', '收入/编制预算', '收入/上年结转', '支出/项目', '支出/本年预算', '支出/编制预算', '支出/上年结转'], ['label', 'amount', 'amount', 'amount', 'label', 'amount', 'amount', 'amount'], '收支总表')).toEqual([null, 'amount', 'current_year', 'carryover', null, 'total', 'current_year', 'carryover']);
  });
  it('special_account_split: 财政专户拨款收入/教育收费 and /其他专户收入拨款; 事业收入（不含教育收费） stays business_income', () => {
    expect(fieldsOf(['单位名称', '合计', '财政专户拨款收入/教育收费', '财政专户拨款收入/其他专户收入拨款', '事业收入（不含教育收费）'], ['label', 'amount', 'amount', 'amount', 'amount'], '收入总表')).toEqual([null, 'total', 'special_account_tuition', 'special_account_other', 'business_income']);
  });
  it('fund_subtotal_beside_a_total: 总计 | 财政拨款/合计 is total | fiscal_total', () => {
    expect(fieldsOf(['项目名称', '总计', '财政拨款/合计', '财政拨款/一般公共预算'], ['label', 'amount', 'amount', 'amount'], '项目支出表')).toEqual([null, 'total', 'fiscal_total', 'general_budget']);
  });
  it('single_figure_column: a list with one 预算 column is total', () => {
    expect(fieldsOf(['部门预算支出经济科目', '预算'], ['label', 'amount'], '一般公共预算基本支出情况表（按经济分类科目）')).toEqual([null, 'total']);
  });
  it('excl_capital_construction: 项目支出/扣除基建项目后预算数', () => {
    expect(fieldsOf(['科目名称', '合计', '项目支出/项目支出总数', '项目支出/扣除基建项目后预算数'], ['label', 'amount', 'amount', 'amount'], '一般公共预算支出表')).toEqual([null, 'total', 'project', 'excl_capital_construction']);
  });
  it('remarks_column_has_no_field: 备注 is no figure column', () => {
    expect(fieldsOf(['功能科目名称', '合计', '人员经费支出', '备注'], ['label', 'amount', 'amount', 'amount'], '一般公共预算支出表')).toEqual([null, 'total', 'personnel', null]);
  });
  it('economic_table_over_basic_and_project: 一般公共预算支出表（按经济分类） is general_budget_economic', () => {
    expect(findDef('一般公共预算支出表（按经济分类）')?.id).toBe('general_budget_economic');
    expect(findDef('一般公共预算基本支出情况表（按经济分类科目）')?.id).toBe('general_budget_basic');
  });
});

describe('header text (real layouts)', () => {
  const cols = [
    { x0: 465, x1: 548 },
    { x0: 548, x1: 631 },
    { x0: 631, x1: 714 },
  ];
  const rules = [465, 548, 631, 714].map((x) => vRule(x, 120, 160));
  it('head_overrunning_its_rule: 事业单位经营支出 one point past its cell stays in it', () => {
    const p = page([run('项目支出', 487, 140, 40), run('事业单位经营支出', 550, 140, 83), run('对附属单位补助支', 633, 133, 80), run('出', 668, 148, 10)], { vLines: rules });
    expect(headerTexts(cols, groupLines(p.runs), p, true)).toEqual(['项目支出', '事业单位经营支出', '对附属单位补助支出']);
  });
  it('two_heads_in_one_text_item: 公用经费支出专项业务经费支出 cut at the rule', () => {
    const xs = [476, 553, 621, 713];
    const p = page([run('人员经费支出', 482, 140, 66), run('公用经费支出专项业务经费支出', 555, 140, 157)], { vLines: xs.map((x) => vRule(x, 120, 160)) });
    const cs = xs.slice(1).map((x, i) => ({ x0: xs[i]!, x1: x }));
    expect(headerTexts(cs, groupLines(p.runs), p, true)).toEqual(['人员经费支出', '公用经费支出', '专项业务经费支出']);
  });
});

describe('row keys (real layouts)', () => {
  it('kuan_code_printed_as_two_digits: 10 under 201 is 20110', () => {
    const j = new CodeJoiner();
    expect(['201', '10', '2011007'].map((c) => j.join([c]))).toEqual(['201', '20110', '2011007']);
  });
  it('label_ending_in_a_colon: 总计： keys 总计', () => {
    expect(nameKey('总计：')).toBe('总计');
  });
  it('stray_digit_before_an_ordinal: 1（一）一般公共预算资金', () => {
    expect(nameKey('1（一）一般公共预算资金')).toBe('一般公共预算资金');
  });
  it('three_public_categories_as_rows: printed names become the canonical keys', () => {
    expect(['“三公”经费', '因公出国（境）支出', '公务用车购置及运行维护支出', '公务用车运行费', '公务接待费支出', '行政经费', '会议费', '湖州市卫生健康委员会'].map(threePublicRowKey)).toEqual([
      '合计',
      '因公出国（境）费',
      '公务用车购置及运行费',
      '公务用车运行维护费',
      '公务接待费',
      '行政经费',
      '会议费',
      '湖州市卫生健康委员会',
    ]);
  });
});

describe('tables (real layouts)', () => {
  it('gov_economic_codes_beside_department_codes: 301|01 and 501|01 are never joined', () => {
    const t = tableOf([
      run('一般公共预算基本支出情况表', 300, 60, 200, 14),
      run('单位：万元', 63, 80, 50),
      run('部门预算支出经济分类', 63, 100, 100),
      run('政府预算支出经济分类', 250, 100, 100),
      run('合计', 450, 100, 20),
      run('类', 63, 115, 10),
      run('款', 90, 115, 10),
      run('科目名称', 120, 115, 40),
      run('类', 250, 115, 10),
      run('款', 277, 115, 10),
      run('科目名称', 307, 115, 40),
      run('301', 63, 140, 15),
      run('工资福利支出', 120, 140, 60),
      run('501', 250, 140, 15),
      run('机关工资福利支出', 307, 140, 80),
      run('100.00', 450, 140, 30),
      run('01', 90, 160, 10),
      run('基本工资', 120, 160, 40),
      run('01', 277, 160, 10),
      run('工资奖金津补贴', 307, 160, 70),
      run('60.00', 455, 160, 25),
    ]);
    expect(t.rows.map((r) => [r.key, r.gov_code, r.values.total])).toEqual([
      ['301', '501', '100.00'],
      ['30101', '50101', '60.00'],
    ]);
  });
  it('three_public_periods_as_rows: 2025年 | 2026年 | 增减 lines become prior_/plain/change_ fields', () => {
    const t = tableOf([
      run('2026年“三公”经费预算表', 300, 60, 200, 14),
      run('单位：万元', 63, 80, 50),
      run('年度', 63, 100, 20),
      run('合计', 150, 100, 20),
      run('因公出国（境）费', 220, 100, 70),
      run('公务接待费', 320, 100, 50),
      run('公务用车购置及运行费', 400, 100, 90),
      run('2025年', 63, 130, 30),
      run('10.00', 150, 130, 25),
      run('1.00', 240, 130, 20),
      run('4.00', 330, 130, 20),
      run('5.00', 430, 130, 20),
      run('2026年', 63, 150, 30),
      run('12.00', 150, 150, 25),
      run('2.00', 240, 150, 20),
      run('4.00', 330, 150, 20),
      run('6.00', 430, 150, 20),
      run('增减', 63, 170, 20),
      run('2.00', 150, 170, 20),
      run('1.00', 240, 170, 20),
      run('0.00', 330, 170, 20),
      run('1.00', 430, 170, 20),
    ]);
    expect(t.id).toBe('three_public');
    expect(t.rows.map((r) => [r.key, r.values])).toEqual([
      ['合计', { prior_total: '10.00', total: '12.00', change_total: '2.00' }],
      ['因公出国（境）费', { prior_total: '1.00', total: '2.00', change_total: '1.00' }],
      ['公务接待费', { prior_total: '4.00', total: '4.00', change_total: '0.00' }],
      ['公务用车购置及运行费', { prior_total: '5.00', total: '6.00', change_total: '1.00' }],
    ]);
  });
  it('unlabelled_total_line: a line of figures opening the table is its 合计', () => {
    const t = tableOf([
      run('部门收入总表', 300, 60, 100, 14),
      run('单位：万元', 63, 80, 50),
      run('合计', 150, 100, 20),
      run('一般公共预算', 250, 100, 60),
      run('100.00', 150, 130, 30),
      run('100.00', 255, 130, 30),
    ]);
    expect(t.rows.map((r) => [r.key, r.values])).toEqual([['合计', { total: '100.00', general_budget: '100.00' }]]);
  });
});
