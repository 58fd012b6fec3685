/**
 * Row-name normalisation and the alias lists the checks match rows by. Layouts differ by region
 * and year ("一般公共预算拨款收入" / "一般公共预算", "上年结转" / "上年结转结余" …), so every
 * row the rules need is found through a normalised name and a list of aliases, never by position.
 */

const ORDINAL =
  /^(?:[一二三四五六七八九十百零〇]+[、.．]|[（(][一二三四五六七八九十百\d]+[）)][、.．]?|\d+(?:[、．]|\.(?!\d))|[①-⑳⑴-⒇])/;

const normCache = new Map<string, string>();

/** Printed name → comparison form: NFKC, no whitespace, ordinal prefixes / 其中： / quotes removed. */
export function normName(s: string | null | undefined): string {
  const k = String(s ?? '');
  let hit = normCache.get(k);
  if (hit === undefined) {
    hit = normNameUncached(k);
    if (normCache.size > 50000) normCache.clear();
    normCache.set(k, hit);
  }
  return hit;
}

function normNameUncached(s: string): string {
  let t = s.normalize('NFKC');
  t = t.replace(/\s+/g, '');
  t = t.replace(/[“”"‘’']/g, '');
  for (let i = 0; i < 3; i++) {
    const before = t;
    t = t.replace(/^其中[:：]?/, '');
    t = t.replace(ORDINAL, '');
    if (t === before) break;
  }
  t = t.replace(/[:：]$/, '');
  return t;
}

/** A key without its repeat suffix ("一般公共预算#2" → "一般公共预算"). */
export function baseKey(key: string): string {
  return key.replace(/#\d+$/, '');
}

/** The ordinal level a printed name shows: 1 for 一、, 2 for （一）/(一), 3 for 1. / 1、 / ①, 0 for none. */
export function ordinalLevel(printed: string): number {
  const t = String(printed ?? '').normalize('NFKC').replace(/\s+/g, '').replace(/^其中[:：]?/, '');
  if (/^[一二三四五六七八九十百]+[、.．]/.test(t)) return 1;
  if (/^[（(][一二三四五六七八九十百]+[）)]/.test(t)) return 2;
  if (/^(?:\d+(?:[、．]|\.(?!\d))|[（(]\d+[）)]|[①-⑳⑴-⒇])/.test(t)) return 3;
  return 0;
}

/**
 * Nesting rank of a printed ordinal style: 一、 (1) > （一） (2) > 1、/1. (3) > （1） (4) > ① (5);
 * 0 when the name has no ordinal.
 */
export function ordinalRank(printed: string): number {
  const t = String(printed ?? '').normalize('NFKC').replace(/\s+/g, '');
  if (/^[一二三四五六七八九十百]+[、.．]/.test(t)) return 1;
  if (/^[（(][一二三四五六七八九十百]+[）)]/.test(t)) return 2;
  if (/^\d+(?:[、．]|\.(?!\d))/.test(t)) return 3;
  if (/^[（(]\d+[）)]/.test(t)) return 4;
  if (/^[①-⑳⑴-⒇]/.test(t)) return 5;
  return 0;
}

/** A memo line ("其中：…"): part of the row above, never an addend of its own. */
export function isMemo(printed: string): boolean {
  return /^其中/.test(String(printed ?? '').normalize('NFKC').replace(/\s+/g, ''));
}

/** True when the printed name marks a sub-item ("其中：…", "（一）…", "1.…"). */
export function isSubItem(printed: string): boolean {
  const t = String(printed ?? '').normalize('NFKC').replace(/\s+/g, '');
  return /^其中/.test(t) || ordinalLevel(t) >= 2;
}

const stripCache = new Map<string, string>();
const strip = (s: string) => {
  let hit = stripCache.get(s);
  if (hit === undefined) {
    hit = normName(s).replace(/[()（）]/g, '');
    if (stripCache.size > 50000) stripCache.clear();
    stripCache.set(s, hit);
  }
  return hit;
};
const aliasSets = new WeakMap<readonly string[], Set<string>>();

/** Does a printed name match one of the aliases (after normalisation, brackets ignored)? */
export function nameIs(printed: string, aliases: readonly string[]): boolean {
  let set = aliasSets.get(aliases);
  if (!set) {
    set = new Set(aliases.map(strip));
    aliasSets.set(aliases, set);
  }
  return set.has(strip(printed));
}

/** Names of a one-sided table's summary row. */
export const TOTAL_NAMES = [
  '合计', '总计', '部门合计', '单位合计', '合计数', '本年合计', '支出合计', '收入合计', '总合计',
  '三公经费合计', '三公经费', '三公经费支出合计', '三公经费总计', '三公经费支出', '机关运行经费合计',
  '本年支出合计', '本年收入合计', '项目支出合计', '政府采购合计',
];

export function isTotalName(printed: string): boolean {
  return nameIs(printed, TOTAL_NAMES);
}

// ---- two-sided summary tables (收支总表, 财政拨款收支总表, 收入支出决算总表) ----------------------

/** Income-side source rows, by canonical fund id. */
export const INCOME_SOURCES: Record<string, string[]> = {
  general_budget: [
    '一般公共预算', '一般公共预算拨款', '一般公共预算拨款收入', '一般公共预算收入', '一般公共预算财政拨款',
    '一般公共预算财政拨款收入', '一般公共预算资金', '一般公共财政拨款', '公共财政拨款', '一般公共预算拨款资金',
  ],
  gov_fund: [
    '政府性基金预算', '政府性基金预算拨款', '政府性基金预算拨款收入', '政府性基金收入', '政府性基金预算收入',
    '政府性基金预算财政拨款', '政府性基金预算财政拨款收入', '政府性基金', '政府性基金拨款', '政府性基金预算资金',
  ],
  state_capital: [
    '国有资本经营预算', '国有资本经营预算拨款', '国有资本经营预算拨款收入', '国有资本经营预算收入',
    '国有资本经营预算财政拨款', '国有资本经营预算财政拨款收入', '国有资本经营收入', '国有资本经营预算资金',
  ],
  special_account: ['财政专户管理资金', '财政专户管理资金收入', '财政专户拨款', '财政专户管理资金拨款', '财政专户'],
  unit_funds: ['单位资金', '单位资金收入', '其他资金', '单位自有资金'],
  fiscal_total: ['财政拨款收入', '财政拨款', '财政拨款资金'],
  business_income: ['事业收入', '事业收入资金'],
  operating_income: ['事业单位经营收入', '经营收入', '事业单位经营收入资金'],
  superior_subsidy: ['上级补助收入', '上级补助收入资金'],
  affiliated_remit: ['附属单位上缴收入', '附属单位上缴收入资金'],
  other_income: ['其他收入', '其他收入资金'],
  business_fund_offset: ['用事业基金弥补收支差额'],
};

/** Sources that are parts of an aggregate source printed in the same list. */
export const SOURCE_PARTS: Record<string, string[]> = {
  fiscal_total: ['general_budget', 'gov_fund', 'state_capital'],
  unit_funds: ['business_income', 'operating_income', 'superior_subsidy', 'affiliated_remit', 'other_income'],
};

export const INCOME_CURRENT = ['本年收入合计', '本年收入小计', '本年收入', '当年收入合计', '当年收入小计', '收入合计', '本年收入总计'];
export const INCOME_CARRYOVER = [
  '上年结转', '上年结转结余', '上年结转(结余)', '上年结转和结余', '上年结余', '上年结转资金', '上年财政拨款结转',
  '上年财政拨款结转结余', '上年财政拨款结转和结余', '年初结转和结余', '年初财政拨款结转和结余', '上年结转收入',
  '上年结转结余收入', '上年结转结余资金', '年初结转结余', '上年结转(结余)收入', '上年结余、结转', '上年结余结转',
];
export const INCOME_EXTRA: Record<string, string[]> = {
  non_fiscal_surplus: ['使用非财政拨款结余', '使用非财政拨款结余(含专用结余)', '使用非财政拨款结余和专用结余'],
  business_fund_offset: ['用事业基金弥补收支差额'],
  prior_account_balance: ['上年实户资金余额'],
};
export const INCOME_GRAND = ['收入总计', '总计', '收入总合计', '收入合计总计'];

export const EXP_CURRENT = ['本年支出合计', '本年支出小计', '支出合计', '当年支出合计', '本年支出'];
export const EXP_AFTER: Record<string, string[]> = {
  carryover_next: [
    '年终结转', '年终结转结余', '年末结转', '年末结转结余', '年末结转和结余', '结转下年', '结转下年支出', '年末结转(结余)',
    '年末财政拨款结转和结余', '年终结转(结余)', '年末结转结余资金', '结转下年资金', '年末结转和结余资金',
  ],
  surplus_distribution: ['结余分配'],
  unspent_account_balance: ['未安排支出的实户资金'],
};
export const EXP_GRAND = ['支出总计', '总计', '支出总合计'];

/** Expenditure-side rows by basic / project (a second classification some 收支总表 print). */
export const EXP_KIND: Record<string, string[]> = {
  basic: ['基本支出'],
  project: ['项目支出'],
};
/** Expenditure rows printed beside the 类 rows in either classification (old templates). */
export const EXP_EXTRA: Record<string, string[]> = {
  operating_expense: ['事业单位经营支出', '经营支出'],
  remit_superior: ['上缴上级支出'],
  affiliated_subsidy: ['对附属单位补助支出'],
};

/** 支出功能分类 类 names (2024 template and older names). */
export const FUNCTION_CLASSES = [
  '一般公共服务支出', '外交支出', '国防支出', '公共安全支出', '教育支出', '科学技术支出', '文化旅游体育与传媒支出',
  '文化体育与传媒支出', '社会保障和就业支出', '社会保险基金支出', '卫生健康支出', '医疗卫生与计划生育支出', '医疗卫生支出',
  '节能环保支出', '城乡社区支出', '城乡社区事务支出', '农林水支出', '农林水事务支出', '交通运输支出', '资源勘探工业信息等支出',
  '资源勘探信息等支出', '资源勘探电力信息等支出', '商业服务业等支出', '金融支出', '金融监管等事务支出', '援助其他地区支出',
  '自然资源海洋气象等支出', '国土海洋气象等支出', '国土资源气象等支出', '住房保障支出', '粮油物资储备支出',
  '粮油物资储备管理事务支出', '国有资本经营预算支出', '灾害防治及应急管理支出', '预备费', '其他支出', '转移性支出',
  '债务还本支出', '债务付息支出', '债务发行费用支出', '抗疫特别国债安排的支出', '抗疫特别国债安排支出',
];

/** 经济分类 类 names (部门 301… and 政府 501…). */
export const ECONOMIC_CLASSES = [
  '工资福利支出', '商品和服务支出', '对个人和家庭的补助', '对个人和家庭补助', '对个人和家庭的补助支出', '债务利息及费用支出',
  '资本性支出(基本建设)', '资本性支出', '对企业补助(基本建设)', '对企业补助', '对社会保障基金补助', '其他支出',
  '机关工资福利支出', '机关商品和服务支出', '机关资本性支出(一)', '机关资本性支出(二)', '对事业单位经常性补助',
  '对事业单位资本性补助', '对企业资本性支出', '预备费及预留', '债务还本支出', '转移性支出',
];

export function isFunctionClassName(printed: string): boolean {
  return nameIs(printed, FUNCTION_CLASSES);
}
export function isEconomicClassName(printed: string): boolean {
  return nameIs(printed, ECONOMIC_CLASSES);
}

// ---- 三公 ----------------------------------------------------------------------------------------

export const THREE_PUBLIC_ROWS: Record<string, string[]> = {
  abroad: ['因公出国(境)费', '因公出国(境)费用', '因公出国(境)经费', '因公出国境费', '出国(境)费', '因公出国费'],
  reception: ['公务接待费', '公务接待费用'],
  vehicle: [
    '公务用车购置及运行费', '公务用车购置及运行维护费', '公务用车购置和运行费', '公务用车购置和运行维护费',
    '公务用车购置及运维费', '公务用车费', '公务用车购置及运行(护)费',
  ],
  vehicle_purchase: ['公务用车购置费', '购置费', '公务用车购置'],
  vehicle_operation: ['公务用车运行维护费', '公务用车运行费', '运行维护费', '运行费', '公务用车运行(护)费'],
};

// ---- performance-target / project names -------------------------------------------------------

/** A project name for matching: normalised, brackets and punctuation dropped. */
export function projectKey(s: string): string {
  return normName(s).replace(/[()（）【】\[\]、，,。.．:：;；“”"'《》<>\-—_/]/g, '');
}

/** Name endings of budget units (for telling unit rows from project rows). */
export const UNIT_SUFFIX =
  /(?:局|院|馆|中心|站|所|队|学校|中学|小学|幼儿园|学院|大学|办公室|委员会|委|办|处|厂|场|社|团|协会|联合会|会|部|室|庭|宫|台|总队|支队|大队|中队|医院|卫生院|分局|园)$/;
