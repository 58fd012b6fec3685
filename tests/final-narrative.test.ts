/** The 部门决算 情况说明: every narrative key of the three dev 决算 (fixtures/dev/*-final) as the
 *  truth states it, each checked against the tables (N*), plus one small test per phrasing quirk. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPdf } from '../src/pdf/load.js';
import type { PageData, TextRun } from '../src/pdf/types.js';
import { extractDocument } from '../src/extract.js';
import { extractNarrative, narrativeObject } from '../src/narrative/extract.js';
import type { Document, Table } from '../src/model.js';
import { runChecks } from '../src/checks/index.js';

const DEV = path.resolve(import.meta.dirname, '..', 'fixtures', 'dev');
const FILES = ['qinghe-jyj-2025-final', 'qinghe-sfj-2024-final', 'anping-nyj-2024-final'];
const out = new Map<string, { doc: Document; truth: { narrative: Record<string, string> } }>();

beforeAll(async () => {
  for (const f of FILES) {
    const bytes = new Uint8Array(readFileSync(path.join(DEV, `${f}.pdf`)));
    const doc = extractDocument(await loadPdf(bytes), { file: `${f}.pdf`, sha256: 'x' });
    out.set(f, { doc, truth: JSON.parse(readFileSync(path.join(DEV, `${f}.truth.json`), 'utf8')) });
  }
}, 120_000);

describe('决算 narrative of the dev 决算 files', () => {
  for (const f of FILES) {
    it(`${f}: every truth key, as printed`, () => {
      const { doc, truth } = out.get(f)!;
      const obj = narrativeObject(doc.narrative ?? []);
      expect(Object.keys(truth.narrative).length).toBeGreaterThan(25);
      for (const [k, v] of Object.entries(truth.narrative)) expect([k, obj[k]]).toEqual([k, v]);
    });
  }

  it('checks each figure against the tables: all hold but the injected 三公 fault', () => {
    for (const f of FILES) {
      const checks = out.get(f)!.doc.checks!.filter((c) => c.rule === 'N');
      const held = checks.filter((c) => c.status === 'pass' || c.status === 'rounding').map((c) => c.id);
      // the figures with a table to compare with are compared
      for (const k of ['incomeTotal', 'expenditureTotal', 'openingBalance', 'closingBalance', 'fiscalTotal', 'generalBudgetExpenditure', 'personnelFunds', 'publicFunds', 'threePublicBudget', 'threePublicVehicle']) {
        expect([f, held.includes(`N:${k}`)]).toEqual([f, true]);
      }
      const bad = checks.filter((c) => c.status === 'fail' || c.status === 'warning').map((c) => c.id);
      expect([f, bad]).toEqual([f, f === 'anping-nyj-2024-final' ? ['N:threePublicTotal', 'N:threePublic=abroad+reception+vehicle'] : []]);
    }
    const fault = out.get('anping-nyj-2024-final')!.doc.checks!.find((c) => c.id === 'N:threePublicTotal')!;
    expect(fault.message).toContain('14.70');
    expect(fault.message).toContain('13.20');
  });

  it('reads per-项 预算数, 决算数 and 完成率 and checks the 决算数 against 一般公共预算财政拨款支出决算表', () => {
    const { doc } = out.get('qinghe-jyj-2025-final')!;
    const item = (key: string) => doc.narrative!.find((i) => i.key === key && i.label === '教育/普通教育/初中教育');
    expect(item('generalBudgetItemBudget')).toMatchObject({ value: '4107.12', unit: '万元', page: 19 });
    expect(item('generalBudgetItem')).toMatchObject({ value: '4047.31', unit: '万元' });
    expect(item('generalBudgetItemRate')).toMatchObject({ value: '98.54', unit: '%' });
    expect(doc.checks!.find((c) => c.id === 'N:generalBudgetItem:教育/普通教育/初中教育')?.status).toBe('pass');
    expect(doc.checks!.find((c) => c.id === 'N:expenditureClass:教育支出')?.status).toBe('pass');
  });
});

describe('D1–D17 on the dev 决算 files', () => {
  const D = ['D1', 'D2', 'D3', 'D4', 'D5', 'D6', 'D7', 'D8', 'D9', 'D10', 'D11', 'D12', 'D13', 'D14', 'D15', 'D17'];
  it('every identity runs and holds where the tables print it (D16 where a 政府性基金 table has rows)', () => {
    for (const f of FILES) {
      const checks = out.get(f)!.doc.checks!;
      const held = new Set(checks.filter((c) => c.status === 'pass' || c.status === 'rounding').map((c) => c.rule));
      const rules = f === 'anping-nyj-2024-final' ? [...D, 'D16'] : D;
      expect([f, rules.filter((r) => !held.has(r))]).toEqual([f, []]);
    }
  });

  it('the 3-block basic table is checked by its closing lines (D13, D14)', () => {
    const checks = out.get('qinghe-jyj-2025-final')!.doc.checks!;
    expect(checks.find((c) => c.id === 'D13:basic')).toMatchObject({ status: 'pass', left: '7611.87', right: '7611.87' });
    expect(checks.find((c) => c.id === 'D14:final_general_budget_basic:人员经费合计=Σ类')).toMatchObject({ status: 'pass', left: '6962.27' });
    expect(checks.find((c) => c.id === 'D14:final_general_budget_basic:公用经费合计=Σ类')).toMatchObject({ status: 'pass', left: '649.60' });
    const basic = out.get('qinghe-jyj-2025-final')!.doc.tables.find((t) => t.id === 'final_general_budget_basic')!;
    expect(basic.quality).toEqual({ status: 'ok', problems: [] });
  });

  it('anping-nyj-2024-final: the injected 类 row fails D7 (hierarchy) and D8; the injected 三公 narrative is a warning (B24: W/R)', () => {
    const checks = out.get('anping-nyj-2024-final')!.doc.checks!;
    expect(checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual([
      'D7:final_expenditure:213.total', 'D7:final_expenditure:213.basic', 'D7:final_expenditure:合计.total', 'D7:final_expenditure:合计.basic',
      'D8:final_expenditure:213',
    ]);
    expect(checks.find((c) => c.id === 'N:threePublicTotal')).toMatchObject({ status: 'warning', left: '14.70', right: '13.20' });
  });
});

describe('决算 check quirks', () => {
  const fund = (opening: string, income: string, spent: string, closing: string): Table => ({
    id: 'final_gov_fund', number: null, title: '政府性基金预算财政拨款收入支出决算表', department: null, unit: '万元', pages: [9], empty: false,
    columns: ['opening_balance', 'current_year', 'total', 'closing_balance'].map((field) => ({ field, header: field })),
    rows: [{ key: '合计', code: null, name: '合计', level: null, side: null, page: 9, values: { opening_balance: opening, current_year: income, total: spent, closing_balance: closing } }],
  });

  it('a 政府性基金 决算 spending its opening balance: D16 balances it, no sum of sources on 本年支出', () => {
    const checks = runChecks([fund('58830.98', '509220.66', '568051.63', '0.01')]);
    expect(checks.filter((c) => c.status !== 'pass' && c.status !== 'rounding' && c.status !== 'skipped').map((c) => c.id)).toEqual([]);
    expect(checks.find((c) => c.id === 'D16:final_gov_fund:合计.opening+income=spent+closing')?.status).toBe('pass');
  });
});

// ---- quirks, on hand-made prose pages ----------------------------------------------------------

/** One page of prose: each string a line at the left margin (a paragraph of its own). */
function prose(lines: string[]): PageData[] {
  const runs: TextRun[] = lines.map((text, i) => ({ text, x: 60, y: 100 + i * 20, w: text.length * 10, size: 10, font: 'f' }));
  return [{ index: 1, width: 595, height: 842, rotate: 0, runs, hLines: [], vLines: [] }];
}
const obj = (lines: string[]) => narrativeObject(extractNarrative(prose(lines), 'final_accounts'));

describe('决算 phrasing quirks', () => {
  it('收、支总计 states both totals; 收入总计、支出总计均为 too', () => {
    expect(obj(['本部门2024年度收、支总计100.50万元。'])).toMatchObject({ incomeTotal: '100.50', expenditureTotal: '100.50' });
    expect(obj(['2022年度收入总计、支出总计均为2,480.7万元。'])).toMatchObject({ incomeTotal: '2480.7', expenditureTotal: '2480.7' });
  });

  it('财政拨款收、支总决算 is the fiscal total, not the department total', () => {
    const o = obj(['本部门2024年度财政拨款收、支总决算90.00万元。']);
    expect(o.fiscalTotal).toBe('90.00');
    expect(o.incomeTotal).toBeUndefined();
  });

  it('a fund’s 年初/年末结转和结余 is not the department’s', () => {
    const o = obj(['政府性基金预算财政拨款年初结转和结余58,830.98万元，收入决算5.00万元，年末结转和结余0万元。', '年末结转和结余7.00万元。']);
    expect(o.openingBalance).toBeUndefined();
    expect(o.closingBalance).toBe('7.00');
  });

  it('“三公” 预算数 and 决算数 in one sentence, items after 其中 by their own names', () => {
    const o = obj(['“三公”经费财政拨款支出年初预算为2.85万元，支出决算为0.39万元，完成预算的13.68%，其中：因公出国（境）费决算为0.00万元；公务接待费支出决算为0.39万元。']);
    expect(o).toMatchObject({ threePublicBudget: '2.85', threePublicTotal: '0.39', threePublicRate: '13.68', threePublicAbroad: '0.00', threePublicReception: '0.39' });
    expect(o.expenditureTotal).toBeUndefined();
  });

  it('政府采购金额（以合同签订为准）为… with 货物/工程/服务采购金额', () => {
    const o = obj(['本部门政府采购金额（以合同签订为准）为251.25万元，其中：货物采购金额4.79万元、工程采购金额0万元、服务采购金额246.47万元。']);
    expect(o).toMatchObject({ procurementTotal: '251.25', procurementGoods: '4.79', procurementWorks: '0', procurementServices: '246.47' });
  });

  it('a class list names 类 as 一般公共服务支出（类） or 一般公共服务（类）支出', () => {
    const o = obj(['一般公共预算财政拨款支出30.00万元，主要用于以下方面：一般公共服务支出（类）20.00万元，占66.67%；教育（类）支出10.00万元，占33.33%。']);
    expect(o).toMatchObject({ 'generalBudgetClass.一般公共服务支出': '20.00', 'generalBudgetClass.教育支出': '10.00', generalBudgetExpenditure: '30.00' });
  });

  it('a 第三部分 heading wrapped before 说明 still bounds the part', () => {
    const pages = prose(['第三部分某局2024年度部门决算情况', '说明', '本部门2024年度收、支总计5.00万元。', '第四部分名词解释', '收、支总计9.00万元。']);
    expect(narrativeObject(extractNarrative(pages))).toMatchObject({ incomeTotal: '5.00' });
  });
});
