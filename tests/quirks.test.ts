/** One test per real-world quirk the reading stages handle, on small hand-made inputs, so
 *  each stays handled (as pdfplumber's tests do). */
import { describe, expect, it } from 'vitest';
import type { PageData, TextRun } from '../src/pdf/types.js';
import { normalizeText } from '../src/pdf/normalize.js';
import { splitRun } from '../src/pdf/load.js';
import { dropWatermarks } from '../src/pdf/watermark.js';
import { groupLines } from '../src/layout/lines.js';
import { ruledRows } from '../src/layout/grid.js';
import { headingOf, isTocPage, splitNumber } from '../src/tables/headings.js';
import { CodeJoiner, KeyCounter, codeLevel, nameKey, splitLeadingCode } from '../src/tables/rows.js';
import { cellAmount } from '../src/tables/cell.js';
import { findDef } from '../src/tables/definitions.js';
import { extractTables } from '../src/tables/index.js';

const run = (text: string, x: number, y: number, w: number, size = 10): TextRun => ({ text, x, y, w, size, font: 'f' });
const page = (index: number, runs: TextRun[], extra: Partial<PageData> = {}): PageData => ({
  index,
  width: 595,
  height: 842,
  rotate: 0,
  runs,
  hLines: [],
  vLines: [],
  ...extra,
});

describe('text normalisation', () => {
  it('letter_spaced_heading: spaces between Han characters go', () => {
    expect(normalizeText('因 公 出 国 （ 境 ） 费')).toBe('因公出国（境）费');
  });
  it('radical_lookalikes: CJK Radicals Supplement and Kangxi forms become ordinary characters', () => {
    expect(normalizeText('部⻔预算')).toBe('部门预算');
    expect(normalizeText('公务⽤⻋')).toBe('公务用车');
    expect(normalizeText('财政专⼾管理')).toBe('财政专户管理');
  });
  it('circled_ordinals_survive: ① is not NFKC-folded into 1', () => {
    expect(normalizeText('①公务用车购置费')).toBe('①公务用车购置费');
  });
  it('fullwidth_digits: full-width figures become ASCII', () => {
    expect(normalizeText('１２３．４５')).toBe('123.45');
  });
});

describe('runs and lines', () => {
  it('two_cells_in_one_item: a text item with a figure and the next cell is split', () => {
    const parts = splitRun(run('27,664.22 一、一般公共服务支出', 387, 100, 164));
    expect(parts.map((p) => p.text)).toEqual(['27,664.22', '一、一般公共服务支出']);
    expect(parts[0]!.x + parts[0]!.w).toBeLessThan(parts[1]!.x);
  });
  it('number_split_into_runs: touching pieces of a figure join', () => {
    const [line] = groupLines([run('9,1', 100, 50, 15), run('15.55', 115, 50, 25)]);
    expect(line!.chunks.map((c) => c.text)).toEqual(['9,115.55']);
  });
  it('adjacent_columns_stay_apart: a right-aligned figure never joins the next cell', () => {
    const [line] = groupLines([run('9115.55', 192, 50, 35), run('一、一般公共服务支出', 230, 50, 100)]);
    expect(line!.chunks.map((c) => c.text)).toEqual(['9115.55', '一、一般公共服务支出']);
  });
  it('per_glyph_runs_wider_than_advance: glyph-by-glyph figures come out whole', () => {
    const glyphs = '174,900.64'.split('').map((c, i) => run(c, 290 + i * 4.6, 50, 9.5, 9));
    const [line] = groupLines(glyphs);
    expect(line!.chunks.map((c) => c.text)).toEqual(['174,900.64']);
  });
  it('watermark_text: the same large text at the same place on many pages is dropped', () => {
    const pages = [1, 2, 3, 4].map((i) => page(i, [run('仅供内部审核', 219, 409, 156, 26), run('正文', 63, 100, 20), run('正文', 63, 120, 20)]));
    const out = dropWatermarks(pages);
    expect(out.every((p) => p.runs.every((r) => r.text === '正文'))).toBe(true);
  });
  it('repeated_titles_are_not_watermarks: a large title that moves between pages stays', () => {
    const pages = [1, 2, 3, 4].map((i) => page(i, [run('2025', 100 + i * 40, 70, 30, 18), run('正文', 63, 100, 20), run('正文', 63, 120, 20)]));
    expect(dropWatermarks(pages).every((p) => p.runs.some((r) => r.text === '2025'))).toBe(true);
  });
  it('row_rules_drawn_cell_by_cell: collinear pieces count as one rule', () => {
    const segs = [0, 100, 200, 300].map((x) => ({ x1: x, y1: 268, x2: x + 100, y2: 268 }));
    expect(ruledRows(segs, 0, 400)).toEqual([268]);
  });
});

describe('headings', () => {
  const lines = (texts: Array<[string, number]>) => groupLines(texts.map(([t, y]) => run(t, 63, y, t.length * 10)));
  it('toc_line_with_leaders_is_no_heading', () => {
    const ls = lines([['表一2025年预算收支总表........................3', 100]]);
    expect(headingOf(ls, 0, 595, false)).toBeNull();
  });
  it('toc_page: a page headed 目录 lists headings, it does not hold tables', () => {
    expect(isTocPage(lines([['目 录', 80], ['表一 收支总表', 100]]))).toBe(true);
  });
  it('number_on_the_line_above: 预算公开表1 then the title', () => {
    const ls = lines([['预算公开表1', 100], ['2025年预算收支总表', 120]]);
    const h = headingOf(ls, 1, 595, false);
    expect(h?.number).toBe('预算公开表1');
    expect(h?.def?.id).toBe('budget_summary');
  });
  it('title_wraps_onto_a_second_line', () => {
    const ls = lines([['2025年一般公共预算安排基本支出分经济科目表（不含上年结', 100], ['转）', 112]]);
    const h = headingOf(ls, 0, 595, false);
    expect(h?.title).toBe('2025年一般公共预算安排基本支出分经济科目表（不含上年结转）');
    expect(h?.def?.id).toBe('general_budget_basic');
  });
  it('prose_mentioning_a_table_is_no_heading', () => {
    const ls = lines([['详见2025年预算收支总表，其中一般公共预算拨款收入9115.55万元。', 100]]);
    expect(headingOf(ls, 0, 595, false)).toBeNull();
  });
  it('table_numbers_in_their_regional_forms', () => {
    expect(splitNumber('表一2025年预算收支总表')).toEqual({ number: '表一', rest: '2025年预算收支总表' });
    expect(splitNumber('预算01表收支总表')).toEqual({ number: '预算01表', rest: '收支总表' });
    expect(splitNumber('公开01表部门收支总表')).toEqual({ number: '公开01表', rest: '部门收支总表' });
    expect(splitNumber('2025年预算收入总表')).toEqual({ number: null, rest: '2025年预算收入总表' });
  });
  it('titles_map_by_words_not_numbers', () => {
    expect(findDef('2025年财政拨款收支总表')?.id).toBe('fiscal_summary');
    expect(findDef('部门收支总体情况表')?.id).toBe('budget_summary');
    expect(findDef('一般公共预算支出表（按经济分类）')?.id).toBe('general_budget_economic');
    expect(findDef('基本支出总表')).toBeNull();
    expect(findDef('一般公共预算财政拨款“三公”经费支出决算表')?.id).toBe('final_three_public');
    expect(findDef('2025年上年结转项目支出预算表')?.id).toBe('project_expenditure_carryover');
  });
});

describe('rows', () => {
  it('codes_over_lei_kuan_xiang_columns join, carrying the parents', () => {
    const j = new CodeJoiner();
    expect(j.join(['204', '', ''])).toBe('204');
    expect(j.join(['', '02', ''])).toBe('20402');
    expect(j.join(['', '', '01'])).toBe('2040201');
    expect(j.join(['204', '2', '1'])).toBe('2040201');
    expect(codeLevel('20402')).toBe(2);
  });
  it('code_in_the_name_cell is split off', () => {
    expect(splitLeadingCode('2040201 行政运行')).toEqual({ code: '2040201', name: '行政运行' });
    expect(splitLeadingCode('2025年中央政法转移支付资金')).toEqual({ code: null, name: '2025年中央政法转移支付资金' });
  });
  it('row_keys drop ordinals and 其中', () => {
    expect(nameKey('一、一般公共预算')).toBe('一般公共预算');
    expect(nameKey('（一）基本支出')).toBe('基本支出');
    expect(nameKey('其中：人员经费')).toBe('人员经费');
    expect(nameKey('①公务用车购置费')).toBe('公务用车购置费');
    const k = new KeyCounter();
    expect([k.next('一般公共预算', 'income'), k.next('一般公共预算', 'income'), k.next('一般公共预算', 'expenditure')]).toEqual([
      '一般公共预算',
      '一般公共预算#2',
      '一般公共预算',
    ]);
  });
  it('printed_figures_kept_as_printed', () => {
    expect(cellAmount('1,234.50')).toBe('1234.50');
    expect(cellAmount('936647884.3')).toBe('936647884.3');
    expect(cellAmount('（12.00）')).toBe('-12.00');
    expect(cellAmount('-')).toBe('0.00');
    expect(cellAmount('0')).toBe('0');
    expect(cellAmount('')).toBeNull();
    expect(cellAmount('本表无数据')).toBeNull();
  });
});

describe('a table from positioned text (stream mode)', () => {
  // 表 title, unit line, a two-level header and three rows, no ruling lines.
  const runs = [
    run('2025年一般公共预算支出预算表', 200, 60, 200, 14),
    run('单位：万元', 63, 90, 50),
    run('科目编码', 63, 110, 40),
    run('科目名称', 160, 110, 40),
    run('合计', 360, 110, 20),
    run('基本支出', 420, 110, 40),
    run('项目支出', 490, 110, 40),
    run('合计', 160, 130, 20),
    run('100.00', 350, 130, 30),
    run('60.00', 425, 130, 25),
    run('40.00', 495, 130, 25),
    run('204', 63, 150, 15),
    run('公共安全支出', 160, 150, 60),
    run('100.00', 350, 150, 30),
    run('60.00', 425, 150, 25),
    run('40.00', 495, 150, 25),
    run('2040201', 63, 170, 35),
    run('行政运行', 160, 170, 40),
    run('60.00', 355, 170, 25),
    run('60.00', 425, 170, 25),
  ];
  it('maps headers to fields and keeps blank cells blank', () => {
    const { tables } = extractTables([page(1, runs)]);
    expect(tables).toHaveLength(1);
    const t = tables[0]!;
    expect(t.id).toBe('general_budget_expenditure');
    expect(t.unit).toBe('万元');
    expect(t.columns.map((c) => c.field)).toEqual(['total', 'basic', 'project']);
    expect(t.rows.map((r) => [r.key, r.level, r.values])).toEqual([
      ['合计', null, { total: '100.00', basic: '60.00', project: '40.00' }],
      ['204', 1, { total: '100.00', basic: '60.00', project: '40.00' }],
      ['2040201', 3, { total: '60.00', basic: '60.00' }],
    ]);
  });
});

describe('unreadable text', () => {
  it('font_without_tounicode: a page of private-use code points is flagged, not read', async () => {
    const { unreadablePages } = await import('../src/pdf/readability.js');
    const garbled = page(3, [run('\ue001\ue002\ue003\ue004\ue005\ue006\ue007\ue008\ue009\ue00a\ue00b\ue00c\ue00d\ue00e\ue00f\ue010\ue011\ue012\ue013\ue014 12.00', 63, 100, 200)]);
    const fine = page(4, [run('一般公共预算拨款收入合计一般公共预算拨款收入合计 12.00', 63, 100, 200)]);
    expect(unreadablePages([garbled, fine])).toEqual([3]);
  });
});

describe('tables from positioned text: layout quirks', () => {
  const tableOf = (runs: TextRun[]) => extractTables([page(1, runs)]).tables[0]!;
  it('figure_wrapped_in_a_narrow_cell: `18,536.8` over the row and `8` under it', () => {
    const t = tableOf([
      run('2026年部门收入预算总表', 200, 60, 200, 14),
      run('单位：万元', 63, 80, 50),
      run('单位名称', 63, 100, 40),
      run('合计', 160, 100, 20),
      run('事业收入', 240, 100, 40),
      run('18,536.8', 240, 133, 36, 8),
      run('合计', 63, 141, 20, 8),
      run('20,000.00', 160, 141, 40, 8),
      run('8', 272, 149, 4, 8),
      run('某某中心', 63, 170, 40, 8),
      run('1,463.12', 164, 170, 36, 8),
    ]);
    expect(t.id).toBe('income_summary');
    expect(t.rows.map((r) => [r.key, r.values])).toEqual([
      ['合计', { total: '20000.00', business_income: '18536.88' }],
      ['某某中心', { total: '1463.12' }],
    ]);
  });
  it('earlier_year_columns_are_prior: 2025年预算数 beside 2026年预算数', () => {
    const t = tableOf([
      run('2026年一般公共预算支出表', 200, 60, 200, 14),
      run('单位：万元', 63, 80, 50),
      run('科目名称', 63, 100, 40),
      run('2025年预算数', 200, 100, 60),
      run('2026年预算数', 300, 100, 60),
      run('合计', 63, 120, 20),
      run('90.00', 230, 120, 30),
      run('100.00', 325, 120, 35),
    ]);
    expect(t.rows[0]!.values).toEqual({ prior_total: '90.00', total: '100.00' });
  });
  it('three_public_categories_as_columns become the canonical rows', () => {
    const t = tableOf([
      run('2025年“三公”经费支出预算表', 200, 60, 200, 14),
      run('单位：万元', 63, 80, 50),
      run('合计', 100, 100, 20),
      run('因公出国（境）费', 160, 100, 70),
      run('公务用车购置及运行费', 260, 100, 90),
      run('公务接待费', 380, 100, 50),
      run('10.00', 100, 130, 25),
      run('2.00', 200, 130, 20),
      run('5.00', 320, 130, 20),
      run('3.00', 400, 130, 20),
    ]);
    expect(t.id).toBe('three_public');
    expect(t.rows.map((r) => [r.key, r.values.total])).toEqual([
      ['合计', '10.00'],
      ['因公出国（境）费', '2.00'],
      ['公务用车购置及运行费', '5.00'],
      ['公务接待费', '3.00'],
    ]);
  });
});

describe('meta on the title line', () => {
  it('unit_beside_the_title: 单位：元 at the right of the heading', () => {
    const t = extractTables([
      page(1, [
        run('表3 2025年部门支出总表', 200, 60, 150, 14),
        run('单位：元', 500, 60, 40),
        run('科目名称', 63, 100, 40),
        run('合计', 300, 100, 20),
        run('合计', 63, 120, 20),
        run('1,000.00', 290, 120, 40),
      ]),
    ]).tables[0]!;
    expect(t.id).toBe('expenditure_summary');
    expect(t.number).toBe('表3');
    expect(t.unit).toBe('元');
    expect(t.rows[0]!.values).toEqual({ total: '1000.00' });
  });
});
