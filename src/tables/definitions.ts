/** One small declarative definition per table type: how its heading reads, whether it is
 *  two-sided, and which canonical field each header means. Order matters: the first
 *  definition whose title pattern matches (and whose exclusions do not) wins. */

import type { CodeKind } from '../model.js';

export type Kind = 'budget' | 'final_accounts';

export interface TableDef {
  id: string;
  kind: Kind | 'both';
  /** Tested against the compacted heading (no whitespace, title without its number). */
  title: RegExp;
  not?: RegExp;
  /** Income list(s) left, expenditure list(s) right. */
  twoSided?: boolean;
  /** A side with a single value column calls it `amount` (tables.md, row conventions). */
  singleAmount?: boolean;
  /** Header → field rules tried before the shared ones. */
  fields?: FieldRule[];
  /** 三公 tables whose categories are columns are transposed to category rows. */
  transposeCategories?: boolean;
  /** What a code (or a 类 name) of this table is when its column's header does not say
   *  (科目编码, 类 | 款 | 项, 项目): src/tables/codes.ts. Two-sided: the expenditure side's. */
  codeKind?: CodeKind;
}

export interface FieldRule {
  /** Tested against the column's header path joined with '/', compacted. */
  re: RegExp;
  field: string;
  /** Restrict to one side of a two-sided table. */
  side?: 'income' | 'expenditure';
  /** Test against the whole header path (a parent qualifies the leaf), before leaf rules. */
  path?: boolean;
}

const FUNDS: Array<[RegExp, string]> = [
  [/公共预算|公共财政/, 'general_budget'],
  [/政府性基金/, 'gov_fund'],
  [/国有资本/, 'state_capital'],
  [/财政专户|专户资金/, 'special_account'],
  [/单位资金/, 'unit_funds'],
];

/** Shared header vocabulary (tables.md field table), most specific first. */
export const SHARED_FIELDS: FieldRule[] = [
  // 上年结转 broken down by fund: the fund under a 上年结转 parent.
  ...FUNDS.map(([re, f]) => ({ re: new RegExp(`上年结转.*(${re.source})`), field: `carryover_${f}`, path: true })),
  // 财政专户 split into 教育收费 and 其他专户收入拨款 (a 事业收入（不含教育收费） is no part of it).
  { re: /财政专户[^/]*\/教育收费$/, field: 'special_account_tuition', path: true },
  { re: /财政专户[^/]*\/其他专户/, field: 'special_account_other', path: true },
  { re: /扣除.{0,4}基建/, field: 'excl_capital_construction' },
  { re: /使用非财政拨款结余/, field: 'non_fiscal_surplus' },
  { re: /用事业基金弥补/, field: 'business_fund_offset' },
  { re: /上年实户资金余额/, field: 'prior_account_balance' },
  { re: /结转下年|年末结转/, field: 'carryover_next' },
  { re: /上年结转|上年结余|年初结转/, field: 'carryover' },
  { re: /专项资金列入部门预算/, field: 'general_budget_special' },
  { re: /预留给小型、?微型企业|小型、?微型企业/, field: 'procurement_small_micro' },
  { re: /预留给中小企业|中小企业/, field: 'procurement_sme' },
  { re: /政府采购/, field: 'procurement' },
  { re: /^(?!.*(一般公共|政府性基金|国有资本)).*财政拨款/, field: 'fiscal_total' },
  ...FUNDS.map(([re, f]) => ({ re, field: f })),
  { re: /事业单位经营.{0,2}收入|经营收入/, field: 'operating_income' },
  { re: /事业收入/, field: 'business_income' },
  { re: /上级补助收入/, field: 'superior_subsidy' },
  { re: /附属单位上缴收入/, field: 'affiliated_remit' },
  { re: /其[他它]收入/, field: 'other_income' },
  { re: /上缴上级支出/, field: 'remit_superior' },
  { re: /事业单位经营支出|经营支出/, field: 'operating_expense' },
  { re: /对附属单位补助支出/, field: 'affiliated_subsidy' },
  { re: /人员经费|人员支出|^人员类$/, field: 'personnel' },
  { re: /公用经费|日常公用/, field: 'public_funds' },
  { re: /基本支出/, field: 'basic' },
  { re: /项目支出|专项业务经费/, field: 'project' },
  { re: /当年预算安排|本年收入|本年预算|编制预算|当年/, field: 'current_year' },
  { re: /合计|小计|总计|总额|金额|预算数|决算数|执行数|^(本年)?预算$|^\d{4}年?$|^\d{4}年预算/, field: 'total' },
];

/** 三公 categories, as rows (canonical names) and as the field ids used when a 三公 table
 *  has units as rows and these as columns. */
export const THREE_PUBLIC_CATEGORIES: Array<{ re: RegExp; name: string; field: string }> = [
  // Printed beside the 三公 in Shanghai's tables; not a 三公 category (nor 运行费).
  { re: /机关运行经费/, name: '机关运行经费', field: 'agency_operating' },
  { re: /购置及运行|购置及运行维护/, name: '公务用车购置及运行费', field: 'vehicle' },
  { re: /购置/, name: '公务用车购置费', field: 'vehicle_purchase' },
  { re: /运行/, name: '公务用车运行维护费', field: 'vehicle_operation' },
  { re: /出国/, name: '因公出国（境）费', field: 'abroad' },
  { re: /接待/, name: '公务接待费', field: 'reception' },
  { re: /会议/, name: '会议费', field: 'meeting' },
  { re: /培训/, name: '培训费', field: 'training' },
  { re: /合计|小计|总计|总额/, name: '合计', field: 'three_public' },
];

/** 决算 vocabulary (tables.md, "Final accounts"): the balances a 决算 table prints as columns. */
export const FINAL_FIELDS: FieldRule[] = [
  { re: /年初结转和?结余|年初结转/, field: 'opening_balance' },
  { re: /年末结转和?结余|年末结转/, field: 'closing_balance' },
  { re: /使用非财政拨款结余/, field: 'non_fiscal_surplus_used' },
  { re: /结余分配/, field: 'surplus_distribution' },
  // 本年支出 printed as one column (no 小计/基本支出/项目支出 under it) is the year's total.
  { re: /^本年支出(合计)?(\/\d{1,2})?$/, field: 'total' },
];

export const TABLE_DEFS: TableDef[] = [
  // 决算 first: their titles contain the budget words too.
  // 三公 决算: 预算数 is `budget`, 决算数 the row's `total` (tables.md, row conventions).
  { id: 'final_three_public', kind: 'final_accounts', title: /三公.*决算/, transposeCategories: true, fields: [
    { re: /预算/, field: 'budget' }, { re: /决算|实际/, field: 'total' }] },
  { id: 'final_fiscal_summary', codeKind: 'function', kind: 'final_accounts', title: /财政拨款收入支出决算总表|财政拨款收支决算总表/, twoSided: true, singleAmount: true },
  { id: 'final_summary', codeKind: 'function', kind: 'final_accounts', title: /收入支出决算总表|收支决算总表/, twoSided: true, singleAmount: true },
  { id: 'final_general_budget_basic', codeKind: 'economic', kind: 'final_accounts', title: /一般公共预算.*基本支出决算/ },
  { id: 'final_general_budget_expenditure', codeKind: 'function', kind: 'final_accounts', title: /一般公共预算.*支出决算/, fields: FINAL_FIELDS },
  { id: 'final_gov_fund', codeKind: 'function', kind: 'final_accounts', title: /政府性基金.*决算/, fields: FINAL_FIELDS },
  { id: 'final_state_capital', codeKind: 'function', kind: 'final_accounts', title: /国有资本经营.*决算/, fields: FINAL_FIELDS },
  // 收入决算表: 本年收入合计 is the row's whole income, `total` (财政拨款收入 → fiscal_total, shared).
  { id: 'final_income', codeKind: 'function', kind: 'final_accounts', title: /收入决算表/, not: /财政拨款/, fields: [{ re: /本年收入合计|^收入合计/, field: 'total' }, ...FINAL_FIELDS] },
  { id: 'final_expenditure', codeKind: 'function', kind: 'final_accounts', title: /支出决算表/, not: /财政拨款|一般公共|政府性基金|国有资本/, fields: FINAL_FIELDS },

  { id: 'fiscal_summary', codeKind: 'function', kind: 'budget', title: /财政拨款收支(预算)?总(体情况)?表|财政拨款收支预算总表/, twoSided: true, singleAmount: true },
  { id: 'budget_summary', codeKind: 'function', kind: 'budget', title: /收支(预算)?总(体情况)?表|收支预算总表|财务收支预算总表/, not: /财政拨款/, twoSided: true, singleAmount: true,
    fields: [{ re: /当年预算|本年/, field: 'current_year', side: 'expenditure' }] },
  { id: 'income_summary', codeKind: 'function', kind: 'budget', title: /收入(预算)?总(体情况)?表|收入预算总表/, not: /财政拨款|政府性基金|国有资本/ },
  { id: 'expenditure_summary', codeKind: 'function', kind: 'budget', title: /支出(预算)?总(体情况)?表|支出预算总表/, not: /财政拨款|政府性基金|国有资本|一般公共|基本支出|项目支出/ },
  { id: 'general_budget_basic', codeKind: 'economic', kind: 'budget', title: /一般公共预算.*基本支出.*(经济分类|经济科目|表)|一般公共预算.*(经济分类|经济科目).*基本支出/, not: /项目支出/ },
  // 按经济分类 over basic and project spending alike: not a basic table.
  { id: 'general_budget_economic', codeKind: 'economic', kind: 'budget', title: /一般公共预算.*(经济分类|经济科目)/, not: /项目支出|功能分类/ },
  { id: 'three_public', kind: 'budget', title: /三公/, transposeCategories: true },
  { id: 'agency_operating', codeKind: 'economic', kind: 'budget', title: /机关运行经费/, fields: [{ re: /^机关运行经费(支出|预算数?)?$/, field: 'total' }] },
  { id: 'general_budget_expenditure', codeKind: 'function', kind: 'budget', title: /一般公共预算.*支出/, not: /项目支出/ },
  { id: 'gov_fund_income', codeKind: 'income', kind: 'budget', title: /政府性基金.*收入/, not: /支出/, singleAmount: true },
  { id: 'gov_fund_expenditure', codeKind: 'function', kind: 'budget', title: /政府性基金.*支出/ },
  { id: 'state_capital', codeKind: 'function', kind: 'budget', title: /国有资本经营.*(收支|支出|收入)/, twoSided: false },
  { id: 'project_expenditure_carryover', codeKind: 'function', kind: 'budget', title: /项目支出.*上年结转|上年结转.*项目支出/ },
  { id: 'project_expenditure', codeKind: 'function', kind: 'budget', title: /项目支出(预算)?(明细)?(情况)?表/, not: /绩效/ },
  { id: 'government_procurement', codeKind: 'function', kind: 'budget', title: /政府采购(预算)?(明细)?表/, fields: [
    { re: /货物/, field: 'goods' }, { re: /工程/, field: 'works' }, { re: /服务/, field: 'services' }] },
];

/** Headings that start a non-numbered-table part of the document: a table region ends there. */
export const SECTION_BREAK = /^第[一二三四五六七八九十]+部分|^.{0,20}(预算|决算)(情况)?说明$|^.{0,6}名词解释$|绩效(目标|指标|自评|评价).{0,8}表|绩效自评|评价得分/;

export function findDef(titleCompact: string): TableDef | null {
  for (const d of TABLE_DEFS) {
    if (d.title.test(titleCompact) && !(d.not && d.not.test(titleCompact))) return d;
  }
  return null;
}

/** Every canonical table id (tables.md), `unknown` for a table no definition fits: the JSON
 *  Schema's enum (src/model.ts). */
export const TABLE_IDS = [...new Set(TABLE_DEFS.map((d) => d.id)), 'unknown'] as unknown as [string, ...string[]];

/** Every field id a header can map to (tables.md's field tables): the shared and 决算
 *  vocabulary, the tables' own rules, the 三公 categories, and `amount` (a side's single value
 *  column). With a prior_/change_/carryover_/budget_ qualifier they make the qualified ids. */
export const FIELD_IDS = [
  ...new Set([
    'amount',
    'total',
    'current_year',
    'carryover',
    'budget',
    ...SHARED_FIELDS.map((r) => r.field),
    ...FINAL_FIELDS.map((r) => r.field),
    ...TABLE_DEFS.flatMap((d) => (d.fields ?? []).map((r) => r.field)),
    ...THREE_PUBLIC_CATEGORIES.map((c) => c.field),
  ]),
].sort() as [string, ...string[]];

/** The qualifiers a field id can carry (another year, its 增减, 上年结转, 决算's 预算数). */
export const FIELD_QUALIFIERS = ['prior', 'change', 'carryover', 'budget'] as const;
/** The field ids beyond FIELD_IDS, as patterns (XSD-compatible: implicitly anchored, plain
 *  groups), one list for the JSON Schema, the XSD and the validator:
 *  - a base id with qualifiers (prior_total, budget_general_budget);
 *  - a 三公 category column qualified by what it shows (fields.ts names the category first:
 *    abroad_budget, vehicle_current_year, three_public_prior_total);
 *  - col<N>, for a column no header rule maps. */
const alt = (ids: readonly string[]) => `(${ids.join('|')})`;
const QUALIFIER_GROUP = `(${alt(FIELD_QUALIFIERS)}_)`;
export const FIELD_PATTERNS = [
  `${QUALIFIER_GROUP}+${alt(FIELD_IDS)}`,
  `${alt([...new Set(THREE_PUBLIC_CATEGORIES.map((c) => c.field))])}_${QUALIFIER_GROUP}*${alt(FIELD_IDS)}`,
  'col[0-9]+',
];
/** A field id that is not one of FIELD_IDS (FIELD_PATTERNS, anchored). */
export const PATTERN_FIELD_RE = new RegExp(`^(${FIELD_PATTERNS.join('|')})$`);
/** Any field id. */
export const FIELD_ID_RE = new RegExp(`^(${alt(FIELD_IDS)}|${FIELD_PATTERNS.join('|')})$`);
