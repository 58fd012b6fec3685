/**
 * Rule premises found wrong on the real corpus (../shared/corpus/real), each reduced to the few rows
 * that show it: the identity a document really prints holds, and a real inconsistency still fails.
 */
import { describe, expect, it } from 'vitest';
import { runChecks } from '../src/checks/index.js';
import type { CheckResult, Row, Table } from '../src/model.js';

type Vals = Record<string, string>;

/** A row: [name, values] or [name, values, code] or with a side. */
function row(name: string, values: Vals, code: string | null = null, side: Row['side'] = null, key?: string): Row {
  return { key: key ?? code ?? name.replace(/^[一二三四五六七八九十]+、|^（[一二三]）|^\d\./, ''), code, name, level: null, side, page: 1, values };
}

function table(id: string, fields: string[], rows: Row[], extra: Partial<Table> = {}): Table {
  return {
    id, number: null, title: id, department: null, unit: '万元', pages: [1], empty: false,
    columns: fields.map((f) => ({ field: f, header: f })), rows, ...extra,
  };
}

const byId = (res: CheckResult[], id: string) => res.find((c) => c.id === id);
const fails = (res: CheckResult[]) => res.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.message}`);

describe('三公 tables printing 会议费 and 培训费 beside the three categories (suzhou-sjj-2026, jiangsu)', () => {
  const three = (total: string, name = '“三公”经费合计') =>
    table('three_public', ['total'], [
      row(name, { total }),
      row('因公出国（境）费', { total: '0.00' }),
      row('公务用车购置及运行维护费', { total: '0.00' }),
      row('公务用车购置费', { total: '0.00' }),
      row('公务用车运行维护费', { total: '0.00' }),
      row('公务接待费', { total: '10.00' }),
      row('会议费', { total: '10.00' }),
      row('培训费', { total: '43.00' }),
    ]);

  it('“三公”经费合计 is the sum of the three categories only', () => {
    const res = runChecks([three('10.00')]);
    expect(byId(res, 'B19:three_public:合计=出国+用车+接待.total')).toMatchObject({ status: 'pass', left: '10.00', right: '10.00' });
    expect(fails(res)).toEqual([]);
  });

  it('a plain 合计 over all five holds as such', () => {
    const res = runChecks([three('63.00', '合计')]);
    expect(byId(res, 'B19:three_public:合计=出国+用车+接待+会议+培训.total')?.status).toBe('pass');
    expect(fails(res)).toEqual([]);
  });

  it('a 三公 total that is neither still fails, against the three categories', () => {
    const res = runChecks([three('12.00')]);
    expect(byId(res, 'B19:three_public:合计=出国+用车+接待.total')?.status).toBe('fail');
    expect(byId(res, 'B19:three_public:合计=出国+用车+接待+会议+培训.total')).toBeUndefined();
  });
});

describe('财政拨款 printed without a number above its numbered funds (shenzhen-gaj-2026, 财政拨款收支总表)', () => {
  const fiscal = (gb: string) =>
    table('fiscal_summary', ['amount', 'total'], [
      row('财政拨款', { amount: '200641.34' }, null, 'income'),
      row('1.一般公共预算拨款', { amount: gb }, null, 'income', '一般公共预算拨款'),
      row('2.政府性基金预算拨款', { amount: '0.00' }, null, 'income', '政府性基金预算拨款'),
      row('3.国有资本经营预算拨款', { amount: '0.00' }, null, 'income', '国有资本经营预算拨款'),
      row('本年收入合计', { amount: '200641.34' }, null, 'income'),
      row('收入总计', { amount: '200641.34' }, null, 'income'),
      row('一、公共安全支出', { total: '200641.34' }, null, 'expenditure', '公共安全支出'),
      row('本年支出合计', { total: '200641.34' }, null, 'expenditure'),
      row('支出总计', { total: '200641.34' }, null, 'expenditure'),
    ]);

  it('is the parent of the funds: 本年收入合计 = 财政拨款 = Σ funds', () => {
    const res = runChecks([fiscal('200641.34')]);
    expect(byId(res, 'B10:fiscal_summary:本年收入合计=Σsources')).toMatchObject({ status: 'pass', right: '200641.34' });
    expect(byId(res, 'B10:fiscal_summary:财政拨款=Σparts')?.status).toBe('pass');
    expect(fails(res)).toEqual([]);
  });

  it('a fund that does not add up still fails', () => {
    const res = runChecks([fiscal('200641.43')]);
    expect(byId(res, 'B10:fiscal_summary:财政拨款=Σparts')?.status).toBe('fail');
  });
});

describe('code hierarchies', () => {
  const basic = (w: string) =>
    table('general_budget_basic', ['total'], [
      row('合计', { total: '110.00' }),
      row('工资福利支出', { total: w }, '301'),
      row('基本工资', { total: '60.00' }, '30101'),
      row('津贴补贴', { total: '40.00' }, '30102'),
      row('—11—', {}),
      row('奖金', { total: '0.00' }, '30103'),
      row('商品和服务支出', { total: '10.00' }, '302'),
      row('取暖费', { total: '4.00' }, '30208'),
      row('物业管理费', { total: '6.00' }, '30208', null, '30208#2'),
    ]);

  it('a row without figures (a page footer read into the table) does not cut the hierarchy; a 项 code printed twice stays under its 款', () => {
    const res = runChecks([basic('100.00')]);
    expect(byId(res, 'H:general_budget_basic:301.total')).toMatchObject({ status: 'pass', right: '100.00' });
    expect(byId(res, 'H:general_budget_basic:302.total')).toMatchObject({ status: 'pass', right: '10.00' });
    expect(byId(res, 'H:general_budget_basic:合计.total')).toMatchObject({ status: 'pass', right: '110.00' });
    expect(fails(res)).toEqual([]);
  });

  it('and a 类 that is not the sum of its rows still fails', () => {
    expect(byId(runChecks([basic('110.00')]), 'H:general_budget_basic:301.total')?.status).toBe('fail');
  });

  it('a repeated 类 code still starts a new block (one hierarchy per unit)', () => {
    const t = table('general_budget_expenditure', ['total'], [
      row('一般公共服务支出', { total: '5.00' }, '201'),
      row('人大事务', { total: '5.00' }, '20101'),
      row('一般公共服务支出', { total: '7.00' }, '201', null, '201#2'),
      row('人大事务', { total: '7.00' }, '20101', null, '20101#2'),
    ]);
    const res = runChecks([t]);
    expect(res.filter((c) => c.id.startsWith('H:general_budget_expenditure:201')).map((c) => c.status)).toEqual(['pass', 'pass']);
  });
});

describe('amount fields whose id contains a ratio word (hangzhou-gaj-2026 三公 by unit)', () => {
  it('vehicle_operation is an amount: its column total is checked', () => {
    const t = table('three_public', ['three_public', 'vehicle', 'vehicle_purchase', 'vehicle_operation', 'reception'], [
      row('合计', { three_public: '30.00', vehicle: '25.00', vehicle_purchase: '5.00', vehicle_operation: '20.00', reception: '5.00' }),
      row('某某局', { three_public: '20.00', vehicle: '16.00', vehicle_purchase: '5.00', vehicle_operation: '11.00', reception: '4.00' }),
      row('某某中心', { three_public: '10.00', vehicle: '9.00', vehicle_purchase: '0.00', vehicle_operation: '9.00', reception: '1.00' }),
    ]);
    expect(runChecks([t]).find((c) => c.id.endsWith('合计.vehicle_operation'))?.status).toBe('pass');
  });
});

describe('收支总表 fund rows that include 上年结转 (chongqing-swj-2026: no 上年结转 row in 部门收支总体情况表)', () => {
  const docs = (gb: string) => [
    table('budget_summary', ['amount', 'total'], [
      row('合计', { amount: '143368.57' }, null, 'income'),
      row('一、一般公共预算资金', { amount: gb }, null, 'income', '一般公共预算资金'),
      row('二、政府性基金预算资金', { amount: '41534.73' }, null, 'income', '政府性基金预算资金'),
      row('一、商贸事务', { total: '143368.57' }, null, 'expenditure', '商贸事务'),
    ]),
    table('fiscal_summary', ['amount', 'total'], [
      row('一、本年收入', { amount: '99320.55' }, null, 'income', '本年收入'),
      row('(一)一般公共预算资金', { amount: '99320.55' }, null, 'income', '一般公共预算资金'),
      row('(二)政府性基金预算资金', {}, null, 'income', '政府性基金预算资金'),
      row('二、上年结转', { amount: '44048.03' }, null, 'income', '上年结转'),
      row('(一)一般公共预算拨款', { amount: '2513.30' }, null, 'income', '一般公共预算拨款'),
      row('(二)政府性基金预算拨款', { amount: '41534.73' }, null, 'income', '政府性基金预算拨款'),
      row('收入合计', { amount: '143368.57' }, null, 'income'),
    ]),
  ];

  it('Y4 本年 + 上年结转 of each fund = the Y1 fund row', () => {
    const res = runChecks(docs('101833.84'));
    expect(byId(res, 'B12:general_budget')).toMatchObject({ status: 'rounding', left: '101833.85', right: '101833.84' });
    expect(byId(res, 'B12:gov_fund')).toMatchObject({ status: 'pass', left: '41534.73' });
  });

  it('a fund row off by more than rounding fails', () => {
    expect(byId(runChecks(docs('101833.94')), 'B12:general_budget')?.status).toBe('fail');
  });

  it('with a 上年结转 row in Y1 the fund rows are the current year only', () => {
    const [y1, y4] = docs('99320.55');
    y1!.rows.push(row('上年结转', { amount: '44048.03' }, null, 'income'));
    expect(byId(runChecks([y1!, y4!]), 'B12:general_budget')).toMatchObject({ status: 'pass', left: '99320.55' });
  });
});

describe('上年实户资金余额 (Xi\'an 部门综合预算)', () => {
  it('is one of the sources a 收入总表 row adds up', () => {
    const t = table('income_summary', ['total', 'general_budget', 'carryover', 'prior_account_balance'], [
      row('合计', { total: '3695.91', general_budget: '3643.37', carryover: '11.61', prior_account_balance: '40.93' }),
    ]);
    const res = runChecks([t]);
    expect(res.find((c) => c.id.startsWith('B6:income_summary:合计.total='))?.status).toBe('pass');
  });

  it('a 支出总表 by funding source with 上年结转 columns spends 收入总计 (B9)', () => {
    const y1 = table('budget_summary', ['amount', 'total'], [
      row('1、财政拨款', { amount: '3643.37' }, null, 'income', '财政拨款'),
      row('本年收入合计', { amount: '3643.37' }, null, 'income'),
      row('上年实户资金余额', { amount: '40.93' }, null, 'income'),
      row('上年结转', { amount: '11.61' }, null, 'income'),
      row('收入总计', { amount: '3695.91' }, null, 'income'),
      row('本年支出合计', { total: '3643.37' }, null, 'expenditure'),
      row('结转下年', { total: '52.54' }, null, 'expenditure'),
      row('支出总计', { total: '3695.91' }, null, 'expenditure'),
    ]);
    const y3 = table('expenditure_summary', ['total', 'general_budget', 'carryover', 'prior_account_balance'], [
      row('合计', { total: '3695.91', general_budget: '3643.37', carryover: '11.61', prior_account_balance: '40.93' }),
    ]);
    const res = runChecks([y1, y3]);
    expect(byId(res, 'B2:budget_summary:收入总计=本年收入+结转')?.status).toBe('pass');
    expect(byId(res, 'B9:total')).toMatchObject({ status: 'pass', right: '3695.91' });
    // an ordinary 支出总表 (基本/项目) is still compared with 本年支出合计
    const plain = table('expenditure_summary', ['total', 'basic', 'project'], [row('合计', { total: '3695.91', basic: '3695.91', project: '0.00' })]);
    expect(byId(runChecks([y1, plain]), 'B9:total')?.status).toBe('fail');
  });
});

describe('项目支出表 listing the 事业单位经营支出 (huzhou-jtysj-2026)', () => {
  const y1 = table('budget_summary', ['amount', 'total'], [
    row('本年收入合计', { amount: '400.00' }, null, 'income'),
    row('上年结转结余', {}, null, 'income'),
    row('收入总计', { amount: '400.00' }, null, 'income'),
    row('本年支出合计', { total: '400.00' }, null, 'expenditure'),
    row('支出总计', { total: '400.00' }, null, 'expenditure'),
  ]);
  const y3 = table('expenditure_summary', ['total', 'basic', 'project', 'operating_expense'], [
    row('合计', { total: '400.00', basic: '100.00', project: '100.00', operating_expense: '200.00' }),
  ]);
  const projects = (total: string) => table('project_expenditure', ['total'], [row('合计', { total }), row('某项目', { total })]);

  it('Y3 项目支出 = the project table less the 经营支出 it lists', () => {
    expect(byId(runChecks([y1, y3, projects('300.00')]), 'B16:total')).toMatchObject({ status: 'pass' });
    expect(byId(runChecks([y1, y3, projects('100.00')]), 'B16:total')).toMatchObject({ status: 'pass' });
    expect(byId(runChecks([y1, y3, projects('250.00')]), 'B16:total')?.status).toBe('fail');
  });
});

describe('a figure its table adds up from rounded rows, against another table (shanghai-putuo-ghzyj-2024-final, D8)', () => {
  // 决算 支出总表 prints 210 = 21011 = 40.35 + 196.29 = 236.64; the 收入支出决算总表 prints the rounding of the
  // exact amount, 236.63: the first figure carries its two rows' rounding
  const docs = (z1: string, kid = '196.29') => [
    table('final_summary', ['amount', 'total'], [
      row('一般公共预算财政拨款收入', { amount: '236.64' }, null, 'income'),
      row('本年收入合计', { amount: '236.64' }, null, 'income'),
      row('卫生健康支出', { total: z1 }, null, 'expenditure'),
      row('本年支出合计', { total: z1 }, null, 'expenditure'),
    ]),
    table('final_expenditure', ['total', 'basic'], [
      row('合计', { total: '236.64', basic: '236.64' }),
      row('卫生健康支出', { total: '236.64', basic: '236.64' }, '210'),
      row('行政事业单位医疗', { total: '236.64', basic: '236.64' }, '21011'),
      row('行政单位医疗', { total: '40.35', basic: '40.35' }, '2101101'),
      row('事业单位医疗', { total: kid, basic: kid }, '2101102'),
    ]),
  ];

  it('differs from the exact rounding by up to its rows\' half units (rounding, saying why)', () => {
    const c = byId(runChecks(docs('236.63')), 'D8:final_expenditure:210')!;
    expect(c).toMatchObject({ status: 'rounding', left: '236.64', right: '236.63', tolerance: '0.01' });
    expect(c.message).toContain('is the sum of 2 printed figures');
  });

  it('a figure its table does not print as the sum of its rows is compared 1:1 (0.005)', () => {
    // 210 = 236.64 but its rows add to 236.65: 236.64 is itself a rounding of the exact amount
    const c = byId(runChecks(docs('236.63', '196.30')), 'D8:final_expenditure:210')!;
    expect(c).toMatchObject({ status: 'fail', tolerance: '0.005' });
  });

  it('more than the rows\' rounding still fails', () => {
    expect(byId(runChecks(docs('236.62')), 'D8:final_expenditure:210')?.status).toBe('fail');
  });
});

describe('unit-laid-out tables: a department row repeating the total, then its units (hangzhou-gaj-2026 收入总表)', () => {
  const t = (unit2: string) =>
    table('income_summary', ['total', 'general_budget'], [
      row('合计', { total: '300.00', general_budget: '300.00' }),
      row('杭州市公安局', { total: '300.00', general_budget: '300.00' }),
      row('杭州市公安局', { total: '100.00', general_budget: '100.00' }, null, null, '杭州市公安局#2'),
      row('杭州市公安局交通管理支队', { total: unit2, general_budget: unit2 }),
      row('杭州市公安局巡特警支队', { total: '50.00', general_budget: '50.00' }),
    ]);

  it('合计 = department = Σ units (not 合计 = department + units)', () => {
    const res = runChecks([t('150.00')]);
    expect(byId(res, 'H:income_summary:department:合计.total')?.status).toBe('pass');
    expect(byId(res, 'H:income_summary:department:杭州市公安局.total')).toMatchObject({ status: 'pass', right: '300.00' });
    expect(fails(res)).toEqual([]);
  });

  it('units that do not add up to the department fail as such', () => {
    const res = runChecks([t('140.00')]);
    expect(byId(res, 'H:income_summary:department:杭州市公安局.total')).toMatchObject({ status: 'fail', right: '290.00' });
    expect(res.some((c) => c.id.includes(':flat:'))).toBe(false);
  });
});

describe('carryover rows named 上年结余、结转 with their funds (shenzhen 收支总表)', () => {
  it('are the carryover and its breakdown', () => {
    const t = table('budget_summary', ['amount', 'total'], [
      row('一、财政拨款', { amount: '200.00' }, null, 'income', '财政拨款'),
      row('本年收入合计', { amount: '200.00' }, null, 'income'),
      row('上年结余、结转', { amount: '30.00' }, null, 'income'),
      row('1.财政拨款结余、结转', { amount: '20.00' }, null, 'income', '财政拨款结余、结转'),
      row('2.非财政拨款结余、结转', { amount: '10.00' }, null, 'income', '非财政拨款结余、结转'),
      row('收入总计', { amount: '230.00' }, null, 'income'),
      row('一、公共安全支出', { total: '230.00' }, null, 'expenditure', '公共安全支出'),
      row('本年支出合计', { total: '230.00' }, null, 'expenditure'),
      row('支出总计', { total: '230.00' }, null, 'expenditure'),
    ]);
    const res = runChecks([t]);
    expect(byId(res, 'B2:budget_summary:上年结转=Σfunds')).toMatchObject({ status: 'pass', right: '30.00' });
    expect(byId(res, 'B2:budget_summary:收入总计=本年收入+结转')).toMatchObject({ status: 'pass', right: '230.00' });
  });
});
