/** Code semantics (issue 11): what a row's code is, from the header it was read under and the
 *  table type, and the catalogue codes of rows printed by name only. */
import { describe, expect, it } from 'vitest';
import { headerCodeKind, levelOf, listCodeKind, settleCodes, printedCodesOnly } from '../src/tables/codes.js';
import { findDef } from '../src/tables/definitions.js';
import { catalogueEntries, catalogueName, codeForName } from '../src/catalogue/index.js';
import type { Row, Table } from '../src/model.js';

const row = (name: string, over: Partial<Row> = {}): Row => ({
  key: name, code: null, code_kind: null, code_source: null, name, level: null, side: 'expenditure', page: 1, values: { total: '1.00' }, ...over,
});

describe('code kind from the header the code was read under', () => {
  it.each([
    ['单位编码', 'unit'],
    ['序单位编码号', 'unit'],
    ['部门（单位）代码', 'unit'],
    ['预算单位代码/1', 'unit'],
    ['功能科目编码', 'function'],
    ['项目/功能分类科目编码/类', 'function'],
    ['支/支出功能分科目（按大类）', 'function'],
    ['部门经济科目编码', 'economic'],
    ['项目/部门预算经济分类科目编码/款', 'economic'],
    ['政府经济科目编码', 'gov_economic'],
    ['出/政府预算支出经济分类科目（按大类）', 'gov_economic'],
    ['出/府预算支出经济科目（按大类', 'gov_economic'],
    ['项目编码', 'project'],
    ['科目编码', null],
    ['科目编码/类', null],
    ['支出/项目', null],
  ])('%s → %s', (header, kind) => {
    expect(headerCodeKind(header)).toBe(kind);
  });

  it('a header that says nothing takes the table type: 科目编码 in a 支出总表 is 功能分类, in a basic table 经济分类', () => {
    expect(listCodeKind(['科目编码'], findDef('部门支出总表'), null)).toBe('function');
    expect(listCodeKind(['科目编码'], findDef('一般公共预算基本支出表'), null)).toBe('economic');
    expect(listCodeKind(['科目编码'], findDef('政府性基金预算收入表'), null)).toBe('income');
    expect(listCodeKind(['科目编码'], null, null)).toBe(null);
  });

  it('xian-kjj: the 单位编码 204 of a 支出总表 is a unit code, with no 类 level', () => {
    const def = findDef('部门综合预算支出总表');
    const kind = listCodeKind(['单位编码', '单位名称'], def, null);
    expect(kind).toBe('unit');
    expect(levelOf('204', kind)).toBe(null);
    expect(levelOf('204', 'function')).toBe(1);
  });

  it('a two-sided table: the expenditure side lists 功能分类 类, the income side sources of funds', () => {
    const def = findDef('部门收支总表');
    expect(listCodeKind(['支出/项目'], def, 'expenditure')).toBe('function');
    expect(listCodeKind(['收入/项目'], def, 'income')).toBe(null);
    expect(listCodeKind(['支/部门预算支出经济科目（按大类）'], def, 'expenditure')).toBe('economic');
  });
});

describe('catalogue codes for rows printed by name', () => {
  it.each([
    ['公共安全', '204'],
    ['公共安全支出', '204'],
    ['四、公共安全支出', '204'],
    ['（四）公共安全支出', '204'],
    ['卫生健康支出', '210'],
    ['医疗卫生与计划生育支出', '210'],
    ['文化体育与传媒支出', '207'],
    ['国土海洋气象等支出', '220'],
    ['住房改革支出', '22102'],
    ['7、文化旅游', '207'],
    ['23、灾害防治及应急', '224'],
  ])('%s → %s', (name, code) => {
    expect(codeForName('function', name)).toBe(code);
  });

  it('names outside the catalogue, and kinds without one, give no code', () => {
    expect(codeForName('function', '本年支出合计')).toBe(null);
    expect(codeForName('function', '专项业务经费支出')).toBe(null);
    // Too short to be a cut 类 name, and 其他 begins several.
    expect(codeForName('function', '公共')).toBe(null);
    expect(codeForName('function', '其他支出（')).toBe(null);
    expect(codeForName('unit', '公共安全支出')).toBe(null);
  });

  it('a name shared by several 款 takes the one under the 类 above; 其他支出 after a 类 is 类 229', () => {
    expect(codeForName('function', '超长期特别国债安排的支出')).toBe(null);
    expect(codeForName('function', '超长期特别国债安排的支出', '214')).toBe('21498');
    expect(codeForName('function', '25、其他支出', '224')).toBe('229');
    expect(codeForName('function', '其他支出', '229')).toBe('22999');
    expect(codeForName('economic', '(3)对个人和家庭补助')).toBe('303');
    expect(codeForName('gov_economic', '机关工资福利支出')).toBe('501');
  });

  it('every catalogue name is one code per kind (aliases included), and 类 are 3 digits, 款 5', () => {
    for (const kind of ['function', 'economic', 'gov_economic'] as const) {
      const codes = catalogueEntries(kind).map((e) => e.code);
      expect(new Set(codes).size, kind).toBe(codes.length);
      for (const e of catalogueEntries(kind)) if (e.code.length === 5) expect(codes, `${kind} ${e.code}`).toContain(e.code.slice(0, 3));
    }
    expect(catalogueName('（一）公共安全支出')).toBe('公共安全');
  });

  it('settles printed codes, catalogue codes and unknown names without touching keys', () => {
    const rows = [
      row('一般公共服务支出', { key: '一般公共服务支出' }),
      row('四、公共安全支出', { key: '公共安全支出' }),
      row('专项业务经费支出'),
      row('卫生健康支出'),
      row('本年支出合计'),
      row('西安市科学技术局', { code: '204', key: '204', side: null }),
    ];
    const warnings = settleCodes(
      rows.map((r, i) => ({ row: r, list: i === 5 ? 'unit' : 'function' })),
      '收支总表',
    );
    expect(rows.map((r) => [r.key, r.code, r.code_kind, r.code_source, r.level])).toEqual([
      ['一般公共服务支出', '201', 'function', 'catalogue', 1],
      ['公共安全支出', '204', 'function', 'catalogue', 1],
      ['专项业务经费支出', null, null, null, null],
      ['卫生健康支出', '210', 'function', 'catalogue', 1],
      ['本年支出合计', null, null, null, null],
      ['204', '204', 'unit', 'printed', null],
    ]);
    expect(warnings.map((w) => [w.code, w.message.includes('专项业务经费支出')])).toEqual([['name_not_in_catalogue', true]]);
  });

  it('the cross-checks see the printed codes only', () => {
    const t = { rows: [row('公共安全', { code: '204', code_kind: 'function', code_source: 'catalogue', level: 1 })] } as unknown as Table;
    const [p] = printedCodesOnly([t]);
    expect(p!.rows[0]).toMatchObject({ code: null, code_kind: null, code_source: null, level: null });
    expect(t.rows[0]!.code).toBe('204');
  });
});
