/** The 情况说明 figures and the 概况 of the seed disclosure (fixtures/huairen-gaj-2025.pdf),
 *  checked against the seed's own text (fixtures/seed/huairen-part3.txt, …-part1.txt: the
 *  第三部分 and 第一部分 of the real document the PDF reproduces) and the corpus truth. */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPdf } from '../src/pdf/load.js';
import type { PageData } from '../src/pdf/types.js';
import { extractNarrative, narrativeObject, type NarrativeItem } from '../src/narrative/extract.js';
import { extractOverview } from '../src/overview/extract.js';
import { NarrativeItem as NarrativeItemSchema, Overview as OverviewSchema } from '../src/model.js';

const FIX = new URL('../fixtures/', import.meta.url);
let pages: PageData[];
let items: NarrativeItem[];

beforeAll(async () => {
  const doc = await loadPdf(new Uint8Array(readFileSync(new URL('huairen-gaj-2025.pdf', FIX))));
  pages = doc.pages;
  items = extractNarrative(pages);
});

const canon = (v: string) => {
  const s = v.replace(/[,，]/g, '');
  const [i, f = ''] = s.split('.');
  const ff = f.replace(/0+$/, '');
  return ff ? `${i}.${ff}` : i!;
};
const unitOf = (u: string | null) => (u ?? '').replace(/[（(]套[)）]/, '');

describe('narrative of huairen-gaj-2025.pdf', () => {
  it('states every figure of the seed 第三部分, each once', () => {
    const seed = readFileSync(new URL('seed/huairen-part3.txt', FIX), 'utf8');
    // Every amount, percentage, count, vehicle and area figure; thresholds (价值50万元（原值）以上) are not figures.
    const re = /(\d[\d,]*(?:\.\d+)?)(万元|%|个|辆|平方米|台)(?![（(]原值)/g;
    const pool = items.slice();
    const missing: string[] = [];
    let n = 0;
    for (const m of seed.matchAll(re)) {
      n++;
      const i = pool.findIndex((it) => canon(it.value) === canon(m[1]!) && unitOf(it.unit) === m[2]);
      if (i < 0) missing.push(`${m[1]}${m[2]} in “…${seed.slice(Math.max(0, m.index! - 20), m.index! + 12)}…”`);
      else pool.splice(i, 1);
    }
    expect(n).toBeGreaterThan(90);
    expect(missing).toEqual([]);
  });

  it('names the figures as the corpus truth does', () => {
    const truth = JSON.parse(readFileSync(new URL('huairen-gaj-2025.truth.json', FIX), 'utf8')).narrative as Record<string, string>;
    const obj = narrativeObject(items);
    for (const [k, v] of Object.entries(truth)) expect([k, obj[k]]).toEqual([k, v]);
  });

  it('reads changes, shares and per-类 lists with their direction and page', () => {
    const find = (key: string, label?: string) => items.find((i) => i.key === key && (label === undefined || i.label === label));
    expect(find('incomeTotalChange')).toMatchObject({ value: '391.49', unit: '万元', direction: 'decrease', page: 22 });
    expect(find('incomeTotalChangePct')).toMatchObject({ value: '4.07', unit: '%', direction: 'decrease' });
    expect(find('expenditureTotalChange')).toMatchObject({ value: '391.49', direction: 'decrease' });
    expect(find('generalBudgetIncomeShare')).toMatchObject({ value: '98.75', unit: '%' });
    expect(find('carryoverShare')).toMatchObject({ value: '1.25' });
    expect(find('basicExpenditureShare')).toMatchObject({ value: '44.00' });
    expect(find('generalBudgetCurrentChange')).toMatchObject({ value: '370.59', direction: 'decrease' });
    expect(find('fiscalClass', '公共安全支出')).toMatchObject({ value: '8304.96' });
    expect(find('generalBudgetClass', '公共安全支出')).toMatchObject({ value: '8190.02' });
    expect(find('generalBudgetClassShare', '其他支出')).toMatchObject({ value: '0.22' });
    expect(find('threePublicTotalChange')).toMatchObject({ value: '25.00', direction: 'decrease' });
    expect(find('threePublicAbroadChange')).toMatchObject({ value: '0', direction: 'same' });
    expect(find('vehicleOperationChange')).toMatchObject({ value: '65.00', direction: 'decrease' });
    expect(find('vehiclePurchaseChange')).toMatchObject({ value: '40.00', direction: 'increase' });
    expect(find('agencyOperatingChangePct')).toMatchObject({ value: '3.84', direction: 'increase' });
    expect(find('perfPublishedAmountShare')).toMatchObject({ value: '53.77' });
    expect(find('perfCategoryCount', '其他运转类')).toMatchObject({ value: '41' });
    expect(find('perfPublishedCategoryAmount', '其他运转类')).toMatchObject({ value: '1823.82' });
    expect(find('vehiclesByKind', '执法执勤用车')).toMatchObject({ value: '66', unit: '辆' });
    expect(find('officeArea')).toMatchObject({ value: '22747.22', unit: '平方米' });
    expect(find('incomeTotal')!.sentence).toContain('预算收入总计9,230.50万元');
  });

  it('fits the output model', () => {
    for (const it of items) expect(NarrativeItemSchema.safeParse(it).success).toBe(true);
  });
});

describe('overview of huairen-gaj-2025.pdf', () => {
  it('has the seed 第一部分 staffing figures', () => {
    const ov = extractOverview(pages)!;
    expect(ov.staffing).toEqual({
      establishmentTotal: null,
      establishment: { 政法编制: 196, 事业编制: 45, 工勤编制: 0 },
      actualTotal: 321,
      actual: { 公务员: 157, '工勤、事业人员': 164 },
      other: { 辅警等各类人员: 160, 离休: 0, 遗属补助人员: 12 },
    });
    // Every headcount the seed states is there.
    const seed = readFileSync(new URL('seed/huairen-part1.txt', FIX), 'utf8');
    const counts = [...seed.matchAll(/(\d+)人/g)].map((m) => Number(m[1]));
    const got = [
      ...Object.values(ov.staffing.establishment),
      ov.staffing.actualTotal,
      ...Object.values(ov.staffing.actual),
      ...Object.values(ov.staffing.other),
    ];
    expect(got.slice().sort()).toEqual(counts.slice().sort());
  });

  it('lists duties and institutions as the seed does', () => {
    const ov = extractOverview(pages)!;
    const seed = readFileSync(new URL('seed/huairen-part1.txt', FIX), 'utf8');
    const duties = [...seed.matchAll(/^\d+\. (.+)$/gm)].map((m) => m[1]);
    expect(ov.duties).toEqual(duties);
    const list = (re: RegExp) => re.exec(seed)![1]!.replace(/。$/, '').split(/[、，]/);
    expect(ov.internalUnits).toEqual(list(/内设科室分别是：(.+)/));
    expect(ov.dispatchedAgencies).toEqual(list(/派出机构分别是：(.+)/));
    expect(ov.affiliatedUnits).toEqual(['警务保障中心']);
    expect(OverviewSchema.safeParse(ov).success).toBe(true);
  });
});

describe('narrative keys', () => {
  it('documents every key the extractor emits', async () => {
    const { NARRATIVE_KEYS } = await import('../src/narrative/keys.js');
    const base = (k: string) => k.replace(/(ChangePct|Change|Share)$/, '');
    for (const it of items) expect([it.key, base(it.key) in NARRATIVE_KEYS]).toEqual([it.key, true]);
  });
});
