/** 部门决算 (final accounts) layouts, one test per quirk, on small hand-made page data (as in
 *  quirks.test.ts): what tables.md's "Column headers → fields" and "Final accounts" say. */
import { describe, expect, it } from 'vitest';
import type { PageData, TextRun } from '../src/pdf/types.js';
import { extractTables } from '../src/tables/index.js';

const run = (text: string, x: number, y: number, w: number, size = 10): TextRun => ({ text, x, y, w, size, font: 'f' });
const page = (index: number, runs: TextRun[], extra: Partial<PageData> = {}): PageData => ({
  index,
  width: 842,
  height: 595,
  rotate: 0,
  runs,
  hLines: [],
  vLines: [],
  ...extra,
});
const tableOf = (runs: TextRun[]) => extractTables([page(1, runs)]).tables[0]!;
const rowsOf = (runs: TextRun[]) => tableOf(runs).rows.map((r) => [r.key, r.values]);

/** One list of a side-by-side 基本支出决算表: code, name and figure columns from x. */
const list = (x: number, rows: Array<[string, string, string | null]>, y0 = 140) =>
  rows.flatMap(([code, name, v], i) => [
    ...(code ? [run(code, x, y0 + i * 16, 25)] : []),
    run(name, x + 40, y0 + i * 16, name.length * 10),
    ...(v ? [run(v, x + 180 - v.length * 5, y0 + i * 16, v.length * 5)] : []),
  ]);
const TITLE = [run('一般公共预算财政拨款基本支出决算表', 250, 60, 300, 14), run('单位：万元', 700, 80, 50)];
const heads = (x: number) => [run('科目编码', x, 120, 40), run('科目名称', x + 60, 120, 40), run('决算数', x + 155, 120, 30)];
const PERSONNEL = list(60, [
  ['301', '工资福利支出', '80.00'],
  ['30101', '基本工资', '80.00'],
]);
const PUBLIC = list(300, [
  ['302', '商品和服务支出', '20.00'],
  ['30201', '办公费', '15.00'],
  ['30202', '印刷费', '5.00'],
]);

describe('决算 basic table in side-by-side blocks', () => {
  it('block headings 人员经费 | 公用经费 name the field: personnel / public_funds, no total', () => {
    const t = tableOf([
      ...TITLE,
      // Each heading spans its block (a merged cell over 科目编码 | 科目名称 | 决算数).
      run('人员经费', 60, 95, 235),
      run('公用经费', 300, 95, 240),
      ...heads(60),
      ...heads(300),
      ...PERSONNEL,
      ...PUBLIC,
    ]);
    expect(t.id).toBe('final_general_budget_basic');
    expect(t.columns.map((c) => c.field)).toEqual(['personnel', 'public_funds']);
    expect(t.rows.map((r) => [r.key, r.values])).toEqual([
      ['301', { personnel: '80.00' }],
      ['30101', { personnel: '80.00' }],
      ['302', { public_funds: '20.00' }],
      ['30201', { public_funds: '15.00' }],
      ['30202', { public_funds: '5.00' }],
    ]);
    expect(new Set(t.rows.map((r) => r.group)).size).toBe(2);
  });

  it('unruled: a heading centred over its block reaches only the name column', () => {
    const t = tableOf([
      ...TITLE,
      run('人员经费', 130, 95, 40),
      run('公用经费', 370, 95, 40),
      ...heads(60),
      ...heads(300),
      ...PERSONNEL,
      ...PUBLIC,
    ]);
    expect(t.columns.map((c) => c.field)).toEqual(['personnel', 'public_funds']);
    expect(t.rows.map((r) => [r.key, r.values])).toEqual([
      ['301', { personnel: '80.00' }],
      ['30101', { personnel: '80.00' }],
      ['302', { public_funds: '20.00' }],
      ['30201', { public_funds: '15.00' }],
      ['30202', { public_funds: '5.00' }],
    ]);
  });

  it('without block headings, the closing lines 人员经费合计 | 公用经费合计 name the blocks', () => {
    const rows = rowsOf([
      ...TITLE,
      ...heads(60),
      ...heads(300),
      ...PERSONNEL,
      ...PUBLIC,
      run('人员经费合计', 100, 200, 60),
      run('80.00', 215, 200, 25),
      run('公用经费合计', 340, 200, 60),
      run('20.00', 455, 200, 25),
    ]);
    expect(rows).toEqual([
      ['301', { personnel: '80.00' }],
      ['30101', { personnel: '80.00' }],
      ['人员经费合计', { personnel: '80.00' }],
      ['302', { public_funds: '20.00' }],
      ['30201', { public_funds: '15.00' }],
      ['30202', { public_funds: '5.00' }],
      ['公用经费合计', { public_funds: '20.00' }],
    ]);
  });

  it('three blocks, 公用经费合计 printed over the second block with its figure in the third', () => {
    const rows = rowsOf([
      ...TITLE,
      ...heads(60),
      ...heads(300),
      ...heads(540),
      ...PERSONNEL,
      ...list(300, [
        ['302', '商品和服务支出', '20.00'],
        ['30201', '办公费', '20.00'],
      ]),
      ...list(540, [
        ['310', '资本性支出', '5.00'],
        ['31002', '办公设备购置', '5.00'],
      ]),
      run('人员经费合计', 100, 200, 60),
      run('80.00', 215, 200, 25),
      // Centred in a cell merged over the second block's name and figure columns.
      run('公用经费', 430, 200, 40),
      run('合计', 470, 200, 20),
      run('25.00', 695, 200, 25),
    ]);
    expect(rows).toEqual([
      ['301', { personnel: '80.00' }],
      ['30101', { personnel: '80.00' }],
      ['人员经费合计', { personnel: '80.00' }],
      ['302', { public_funds: '20.00' }],
      ['30201', { public_funds: '20.00' }],
      ['310', { public_funds: '5.00' }],
      ['31002', { public_funds: '5.00' }],
      ['公用经费合计', { public_funds: '25.00' }],
    ]);
  });

  it('a third block without a heading of its own continues the 公用经费 list', () => {
    const rows = rowsOf([
      ...TITLE,
      run('人员经费', 60, 95, 235),
      run('公用经费', 300, 95, 240),
      ...heads(60),
      ...heads(300),
      ...heads(540),
      ...PERSONNEL,
      ...list(300, [['302', '商品和服务支出', '20.00']]),
      ...list(540, [['310', '资本性支出', '5.00']]),
    ]);
    expect(rows).toEqual([
      ['301', { personnel: '80.00' }],
      ['30101', { personnel: '80.00' }],
      ['302', { public_funds: '20.00' }],
      ['310', { public_funds: '5.00' }],
    ]);
  });

  it('a side-by-side budget list closed by a plain 合计 keeps `total`', () => {
    const rows = rowsOf([
      run('一般公共预算基本支出表', 250, 60, 300, 14),
      run('单位：万元', 700, 80, 50),
      ...heads(60),
      ...heads(300),
      ...PERSONNEL,
      ...list(300, [['302', '商品和服务支出', '20.00']]),
      run('合计', 340, 200, 20),
      run('100.00', 450, 200, 30),
    ]);
    expect(rows.map(([, v]) => Object.keys(v as object))).toEqual([['total'], ['total'], ['total'], ['total']]);
  });
});

describe('决算 收入决算表 and 三公 columns', () => {
  it('本年收入合计 is the row total, 财政拨款收入 fiscal_total', () => {
    const rows = rowsOf([
      run('收入决算表', 300, 60, 100, 14),
      run('单位：万元', 700, 80, 50),
      run('科目编码', 60, 110, 40),
      run('科目名称', 150, 110, 40),
      run('本年收入合计', 330, 110, 60),
      run('财政拨款收入', 430, 110, 60),
      run('其他收入', 530, 110, 40),
      // 栏次 row under the header.
      run('栏次', 150, 125, 20),
      run('1', 380, 125, 5),
      run('2', 480, 125, 5),
      run('3', 560, 125, 5),
      run('合计', 150, 145, 20),
      run('100.00', 360, 145, 30),
      run('90.00', 465, 145, 25),
      run('10.00', 545, 145, 25),
      run('2040601', 60, 160, 35),
      run('行政运行', 150, 160, 40),
      run('100.00', 360, 160, 30),
      run('90.00', 465, 160, 25),
      run('10.00', 545, 160, 25),
    ]);
    expect(rows).toEqual([
      ['合计', { total: '100.00', fiscal_total: '90.00', other_income: '10.00' }],
      ['2040601', { total: '100.00', fiscal_total: '90.00', other_income: '10.00' }],
    ]);
  });

  it('政府性基金 决算: 年初结转和结余 / 年末结转和结余 are opening_balance / closing_balance', () => {
    const rows = rowsOf([
      run('政府性基金预算财政拨款收入支出决算表', 250, 60, 300, 14),
      run('单位：万元', 700, 80, 50),
      run('科目名称', 100, 110, 40),
      run('年初结转和结余', 250, 110, 70),
      run('本年收入', 350, 110, 40),
      run('本年支出', 450, 110, 40),
      run('年末结转和结余', 550, 110, 70),
      run('合计', 100, 130, 20),
      run('1.00', 290, 130, 20),
      run('5.00', 370, 130, 20),
      run('4.00', 470, 130, 20),
      run('2.00', 590, 130, 20),
    ]);
    expect(rows).toEqual([['合计', { opening_balance: '1.00', current_year: '5.00', total: '4.00', closing_balance: '2.00' }]]);
  });

  it('三公 决算 with categories as columns: 预算数 → budget, 决算数 → total', () => {
    // Ruled: 预算数 | 决算数 each over four category columns.
    const cats = ['合计', '因公出国（境）费', '公务用车购置及运行费', '公务接待费'];
    const xs = [50, 140, 230, 320, 410, 500, 590, 680, 770];
    const v = (x: number, y1: number) => ({ x1: x, y1, x2: x, y2: 140 });
    const h = (y: number) => ({ x1: 50, y1: y, x2: 770, y2: y });
    const runs = [
      run('财政拨款“三公”经费支出决算表', 250, 40, 300, 14),
      run('单位：万元', 700, 60, 50),
      run('预算数', 215, 88, 30),
      run('决算数', 575, 88, 30),
      ...cats.flatMap((c, i) => [run(c, xs[i]! + 5, 110, 80, 8), run(c, xs[i + 4]! + 5, 110, 80, 8)]),
      ...['10.00', '2.00', '5.00', '3.00'].map((v, i) => run(v, xs[i + 1]! - 30, 130, 25)),
      ...['9.00', '1.00', '5.00', '3.00'].map((v, i) => run(v, xs[i + 5]! - 30, 130, 25)),
    ];
    const lines = { vLines: xs.map((x, i) => v(x, i % 4 === 0 ? 75 : 95)), hLines: [h(75), h(95), h(115), h(140)] };
    const t = extractTables([page(1, runs, lines)]).tables[0]!;
    expect(t.id).toBe('final_three_public');
    expect(t.rows.map((r) => [r.key, r.values])).toEqual([
      ['合计', { budget: '10.00', total: '9.00' }],
      ['因公出国（境）费', { budget: '2.00', total: '1.00' }],
      ['公务用车购置及运行费', { budget: '5.00', total: '5.00' }],
      ['公务接待费', { budget: '3.00', total: '3.00' }],
    ]);
  });
});

describe('决算 tables printed as one list', () => {
  it('三公 决算 with categories as rows: 预算数 → budget, 决算数 → total', () => {
    const rows = rowsOf([
      run('“三公”经费支出决算表', 300, 60, 150, 14),
      run('单位：万元', 700, 80, 50),
      run('项目', 100, 110, 20),
      run('预算数', 330, 110, 30),
      run('决算数', 480, 110, 30),
      ...[
        ['合计', '10.00', '9.00'],
        ['1.因公出国（境）费', '2.00', '1.00'],
        ['2.公务用车购置及运行维护费', '5.00', '5.00'],
        ['其中：公务用车购置费', '0.00', '0.00'],
        ['公务用车运行维护费', '5.00', '5.00'],
        ['3.公务接待费', '3.00', '3.00'],
      ].flatMap(([n, b, a], i) => [run(n!, 60, 130 + i * 16, n!.length * 10), run(b!, 335, 130 + i * 16, 25), run(a!, 485, 130 + i * 16, 25)]),
    ]);
    expect(rows).toEqual([
      ['合计', { budget: '10.00', total: '9.00' }],
      ['因公出国（境）费', { budget: '2.00', total: '1.00' }],
      ['公务用车购置及运行费', { budget: '5.00', total: '5.00' }],
      ['公务用车购置费', { budget: '0.00', total: '0.00' }],
      ['公务用车运行维护费', { budget: '5.00', total: '5.00' }],
      ['公务接待费', { budget: '3.00', total: '3.00' }],
    ]);
  });

  it('基本支出决算表 as one list: 合计 | 人员经费 | 公用经费', () => {
    const rows = rowsOf([
      run('一般公共预算财政拨款基本支出决算表', 250, 60, 300, 14),
      run('单位：万元', 700, 80, 50),
      run('科目编码', 60, 110, 40),
      run('科目名称', 150, 110, 40),
      run('合计', 400, 110, 20),
      run('人员经费', 480, 110, 40),
      run('公用经费', 580, 110, 40),
      run('合计', 150, 130, 20),
      run('100.00', 390, 130, 30),
      run('80.00', 490, 130, 25),
      run('20.00', 590, 130, 25),
      run('301', 60, 146, 15),
      run('工资福利支出', 150, 146, 60),
      run('80.00', 395, 146, 25),
      run('80.00', 490, 146, 25),
    ]);
    expect(rows).toEqual([
      ['合计', { total: '100.00', personnel: '80.00', public_funds: '20.00' }],
      ['301', { total: '80.00', personnel: '80.00' }],
    ]);
  });

  it('支出决算表: 本年支出合计 | 基本支出 | 项目支出', () => {
    const rows = rowsOf([
      run('支出决算表', 300, 60, 100, 14),
      run('单位：万元', 700, 80, 50),
      run('科目编码', 60, 110, 40),
      run('科目名称', 150, 110, 40),
      run('本年支出合计', 380, 110, 60),
      run('基本支出', 480, 110, 40),
      run('项目支出', 580, 110, 40),
      run('合计', 150, 130, 20),
      run('100.00', 390, 130, 30),
      run('80.00', 490, 130, 25),
      run('20.00', 590, 130, 25),
    ]);
    expect(rows).toEqual([['合计', { total: '100.00', basic: '80.00', project: '20.00' }]]);
  });
});

describe('决算 收支总表 with 行次 columns', () => {
  it('a 行次 column under the side word (收入 over 项目 | 行次 | 决算数) is no field', () => {
    const t = tableOf([
      run('收入支出决算总表', 300, 60, 120, 14),
      run('单位：万元', 700, 80, 50),
      run('收入', 198, 100, 20),
      run('支出', 548, 100, 20),
      run('项目', 60, 120, 20),
      run('行次', 190, 120, 20),
      run('决算数', 260, 120, 30),
      run('项目', 400, 120, 20),
      run('行次', 540, 120, 20),
      run('决算数', 620, 120, 30),
      run('一、一般公共预算财政拨款收入', 60, 140, 120),
      run('1', 197, 140, 5),
      run('100.00', 260, 140, 30),
      run('一、一般公共服务支出', 400, 140, 100),
      run('27', 545, 140, 10),
      run('100.00', 620, 140, 30),
      run('本年收入合计', 60, 160, 60),
      run('2', 197, 160, 5),
      run('100.00', 260, 160, 30),
      run('本年支出合计', 400, 160, 60),
      run('28', 545, 160, 10),
      run('100.00', 620, 160, 30),
    ]);
    expect(t.id).toBe('final_summary');
    expect(t.columns.map((c) => c.field)).toEqual(['amount', 'total']);
    expect(t.rows.map((r) => [r.key, r.side, r.values])).toEqual([
      ['一般公共预算财政拨款收入', 'income', { amount: '100.00' }],
      ['本年收入合计', 'income', { amount: '100.00' }],
      ['一般公共服务支出', 'expenditure', { total: '100.00' }],
      ['本年支出合计', 'expenditure', { total: '100.00' }],
    ]);
  });
});

describe('unruled two-sided 决算 tables', () => {
  it('the letter-spaced side words (支 出) over a gap between columns make no column', () => {
    const t = tableOf([
      run('财政拨款收入支出决算总表', 300, 60, 180, 14),
      run('单位：万元', 700, 80, 50),
      run('收入', 225, 100, 20),
      run('支', 520, 100, 10),
      run('出', 545, 100, 10),
      run('项目', 60, 120, 20),
      run('行次', 185, 120, 20),
      run('金额', 270, 120, 20),
      run('项目', 330, 120, 20),
      run('行次', 460, 120, 20),
      run('合计', 580, 120, 20),
      run('一般公共预算财政拨款', 660, 120, 100),
      run('一、一般公共预算财政拨款', 60, 140, 110),
      run('1', 192, 140, 5),
      run('100.00', 265, 140, 30),
      run('一、一般公共服务支出', 330, 140, 100),
      run('27', 465, 140, 10),
      run('100.00', 575, 140, 30),
      run('100.00', 690, 140, 30),
    ]);
    expect(t.id).toBe('final_fiscal_summary');
    expect(t.columns.map((c) => c.field)).toEqual(['amount', 'total', 'general_budget']);
    expect(t.rows.map((r) => [r.key, r.side, r.values])).toEqual([
      ['一般公共预算财政拨款', 'income', { amount: '100.00' }],
      ['一般公共服务支出', 'expenditure', { total: '100.00', general_budget: '100.00' }],
    ]);
  });
});

describe('决算 continuation pages', () => {
  it('a table continued on a page whose note (注：本表反映…) follows its last rows', () => {
    const head = [
      run('一般公共预算财政拨款支出决算表', 250, 60, 300, 14),
      run('单位：万元', 700, 80, 50),
      run('科目编码', 60, 110, 40),
      run('科目名称', 150, 110, 40),
      run('合计', 400, 110, 20),
      run('基本支出', 500, 110, 40),
    ];
    const p1 = page(1, [...head, run('221', 60, 130, 15), run('住房保障支出', 150, 130, 60), run('10.00', 400, 130, 25), run('10.00', 500, 130, 25)]);
    const p2 = page(2, [
      run('22102', 60, 60, 25),
      run('住房改革支出', 150, 60, 60),
      run('10.00', 400, 60, 25),
      run('10.00', 500, 60, 25),
      run('合计', 150, 80, 20),
      run('10.00', 400, 80, 25),
      run('10.00', 500, 80, 25),
      run('注：本表反映部门本年度一般公共预算财政拨款支出情况。', 60, 100, 280),
    ]);
    const t = extractTables([p1, p2]).tables[0]!;
    expect(t.pages).toEqual([1, 2]);
    expect(t.rows.map((r) => r.key)).toEqual(['221', '22102', '合计']);
  });
});
