/** The figures the 情况说明 states, as data: each `{key, value, unit, sentence, page}`.
 *
 *  The part runs from its heading (第三部分 …情况说明, not the 目录 line) to the next part
 *  (第四部分 / 名词解释); without such a heading the whole document's prose is read. Prose is
 *  joined across wrapped lines and pages (prose.ts), cut into sentences at 。, and each
 *  figure is named by the phrase printed right before it (预算收入总计, 本年收入, 上年结转 …).
 *  A change on last year (比上年增加…/下降…%) belongs to the figure it follows (to the total
 *  before 其中 when it follows an itemisation); a share (占…%) to the figure before it. */
import type { PageData } from '../pdf/types.js';
import type { NarrativeItem } from '../model.js';
import { ITEM_START_RE, isTocLine, pageAt, paragraphs, proseLines, type Paragraph, type ProseLine } from './prose.js';

export type { NarrativeItem };

const N = '(\\d[\\d,，]*(?:\\.\\d+)?)';
const AMT = `${N}(万元|亿元|千元|元)`;

interface Rule {
  key: string | ((m: RegExpExecArray, before: string) => string | null);
  re: RegExp;
  /** Which capture group holds the number (default 1) and the unit (default 2). */
  num?: number;
  unit?: number;
  label?: (m: RegExpExecArray) => string;
  /** A second key the same figure states (收、支总计 is both totals). */
  also?: string;
}

const r = (src: string) => new RegExp(src, 'gd');

/** In the order tried: a figure is named by the first rule that claims it. */
const RULES: Rule[] = [
  { key: 'incomeTotal', re: r(`(?:预算)?收入总计(?:为)?${AMT}`) },
  { key: 'incomeTotal', re: r(`收入预算(?:合计|总计)?(?:为)?${AMT}`) },
  { key: 'incomeTotal', re: r(`收入、支出预算(?:总计|合计)(?:各)?(?:为)?${AMT}`) },
  { key: 'expenditureTotal', re: r(`支出总计(?:为)?${AMT}`) },
  { key: 'currentYearIncome', re: r(`本年收入(?:合计)?(?:为)?${AMT}`) },
  { key: 'currentYearExpenditure', re: r(`本年(?:预算安排|支出)(?:合计)?${AMT}`) },
  { key: 'fiscalCarryover', re: r(`上年结转(?:结余)?收入${AMT}`) },
  { key: (_m, before) => (/支出/.test(lastSegment(before)) ? 'expenditureCarryover' : 'carryover'), re: r(`上年结转(?:结余)?(?:资金)?(?:为)?${AMT}`) },
  { key: 'generalBudgetIncome', re: r(`一般公共预算(?:拨款|财政拨款)?收入${AMT}`) },
  { key: 'govFundIncome', re: r(`政府性基金(?:预算)?(?:拨款|财政拨款)?收入${AMT}`) },
  { key: 'stateCapitalIncome', re: r(`国有资本经营预算(?:拨款|财政拨款)?收入${AMT}`) },
  { key: 'specialAccountIncome', re: r(`财政专户管理资金(?:收入)?${AMT}`) },
  { key: 'unitFundsIncome', re: r(`单位资金(?:收入)?${AMT}`) },
  { key: 'operatingIncome', re: r(`事业单位经营收入${AMT}`) },
  { key: 'businessIncome', re: r(`事业收入${AMT}`) },
  { key: 'superiorSubsidy', re: r(`上级补助收入${AMT}`) },
  { key: 'affiliatedRemit', re: r(`附属单位上缴收入${AMT}`) },
  { key: 'otherIncome', re: r(`其他收入${AMT}`) },
  { key: 'incomeTotal', re: r(`(?:部门)?预算收入${AMT}`) },
  { key: 'expenditureTotal', re: r(`(?:部门)?(?:支出预算|预算支出)(?:为)?${AMT}`) },
  { key: 'generalBudgetBasic', re: r(`一般公共预算(?:财政拨款)?(?:安排)?的?基本支出${AMT}`) },
  { key: 'basicExpenditure', re: r(`基本支出(?:预算)?(?:合计)?(?:为)?${AMT}`) },
  { key: 'projectExpenditure', re: r(`项目支出(?:预算)?(?:合计)?(?:为)?${AMT}`) },
  { key: 'fiscalTotal', re: r(`财政拨款收支总(?:预算|计)(?:为)?${AMT}`) },
  { key: 'fiscalGeneralBudget', re: r(`一般公共预算(?:财政)?拨款${AMT}`) },
  { key: 'fiscalGovFund', re: r(`政府性基金预算(?:财政)?拨款${AMT}`) },
  { key: 'fiscalStateCapital', re: r(`国有资本经营预算(?:财政)?拨款${AMT}`) },
  { key: 'fiscalCurrentYear', re: r(`当年(?:财政)?拨款收入${AMT}`) },
  { key: 'generalBudgetCurrent', re: r(`一般公共预算(?:财政拨款)?当年(?:拨款)?支出(?:为)?${AMT}`) },
  // Not a project's staff cost (临聘人员经费, 辅警人员经费, 编外人员经费).
  { key: 'personnelFunds', re: r(`(?<!聘|辅警|编外|外包)人员经费(?:支出)?${AMT}`) },
  { key: 'publicFunds', re: r(`(?:日常)?公用经费(?:支出)?${AMT}`) },
  { key: 'threePublicTotal', re: r(`[“"]?三公[”"]?经费[”"]?(?:财政拨款)?(?:预算)?(?:支出)?(?:数)?(?:为|共计|合计)?${AMT}`) },
  { key: 'threePublicAbroad', re: r(`因公出国[（(]境[)）](?:费用?|经费)${AMT}`) },
  { key: 'threePublicReception', re: r(`公务接待费${AMT}`) },
  { key: 'threePublicVehicle', re: r(`公务用车购置及运行(?:维护)?费${AMT}`) },
  { key: 'vehiclePurchase', re: r(`公务用车购置费${AMT}`) },
  { key: 'vehicleOperation', re: r(`公务用车运行(?:维护)?费${AMT}`) },
  { key: 'agencyOperating', re: r(`机关运行经费(?:财政拨款)?(?:预算)?(?:总计|合计)?(?:支出)?(?:为)?${AMT}`) },
  { key: 'procurementTotal', re: r(`政府采购(?:资金|预算)?(?:总额|安排|合计|总计)?(?:为)?${AMT}`) },
  { key: (_m, before) => (/政府采购/.test(before) ? 'procurementGoods' : null), re: r(`(?:政府采购)?货物(?:类)?(?:采购)?(?:预算)?(?:为)?${AMT}`) },
  { key: (_m, before) => (/政府采购/.test(before) ? 'procurementWorks' : null), re: r(`(?:政府采购)?工程(?:类)?(?:采购)?(?:预算)?(?:为)?${AMT}`) },
  { key: (_m, before) => (/政府采购/.test(before) ? 'procurementServices' : null), re: r(`(?:政府采购)?服务(?:类)?(?:采购)?(?:预算)?(?:为)?${AMT}`) },
  { key: 'perfOverallAmount', re: r(`整体绩效目标[^。]*?涉及资金${AMT}`) },
  { key: 'perfProjectCount', re: r(`纳入绩效目标管理的(?:二级)?项目${N}(个)`) },
  { key: 'perfProjectAmount', re: r(`纳入绩效目标管理的[^。]*?共计金额${AMT}`) },
  { key: 'perfPublishedCount', re: r(`公开项目绩效目标${N}(个)`) },
  { key: 'perfPublishedAmount', re: r(`公开项目绩效目标\\d+个[，,]涉及(?:项目)?金额${AMT}`) },
  { key: 'vehicleQuota', re: r(`公务用车编制(?:数)?${N}(辆)`) },
  { key: 'vehicleCount', re: r(`(?:共有|实有|现有)(?:公务用车|车辆|机动车)?${N}(辆)`) },
  { key: 'vehicleCount', re: r(`(?:公务用车|车辆|机动车)(?:共)?${N}(辆)`) },
  { key: 'fixedAssetsPurchase', re: r(`(?:拟|计划)购置(?:固定资产|资产)${AMT}`) },
  { key: 'fixedAssetsAmount', re: r(`固定资产(?:总量|金额|原值|总额|账面价值)?(?:为)?${AMT}`) },
  { key: 'buildingArea', re: r(`房屋(?:建筑)?(?:面积)?(?:为)?${N}(平方米|㎡)`) },
  { key: 'entrustedFees', re: r(`委托业务费${AMT}`) },
  {
    key: 'vehiclesByKind',
    re: r(`(领导|机要通信|应急保障|执法执勤|特种专业技术|事业单位业务|其他公务|一般公务|业务)用车${N}(辆)`),
    num: 2,
    unit: 3,
    label: (m) => `${m[1]}用车`,
  },
  { key: 'vehiclePurchaseCount', re: r(`(?:计划|拟)?(?:新)?购置(?:公务用车|车辆)?${N}(辆)`) },
  { key: 'officeArea', re: r(`办公用房(?:建筑)?(?:总)?面积(?:为)?${N}(平方米|㎡|m2)`) },
  {
    key: 'equipmentCount',
    re: r(`价值(\\d+)万元(?:[（(]原值[)）])?以上的?(通用|专用)设备${N}(台[（(]套[)）]|台|套)`),
    num: 3,
    unit: 4,
    label: (m) => `${m[1]}万元以上${m[2]}设备`,
  },
];

/** The 决算 情况说明's own phrasing, tried before RULES in a final-accounts document. */
const FINAL_RULES: Rule[] = [
  { key: 'fiscalTotal', re: r(`财政拨款(?:收、支|收入支出|收支|收入、支出)总(?:决算|计)(?:各|均)?(?:为)?${AMT}`) },
  { key: 'fiscalTotal', re: r(`财政拨款收入总计、支出总计(?:各|均)?(?:为)?${AMT}`) },
  { key: 'incomeTotal', also: 'expenditureTotal', re: r(`(?:收、支|收入支出|收入、支出|收入总计、支出)总计(?:各|均)?(?:为)?${AMT}`) },
  { key: 'incomeTotal', re: r(`总收入(?:为)?${AMT}`) },
  { key: 'expenditureTotal', re: r(`总支出(?:为)?${AMT}`) },
  // 年初/年末结转和结余 of the department, not of one fund (政府性基金预算财政拨款年初结转和结余…)
  { key: (m, before) => (fundScoped(before, m) ? null : 'openingBalance'), re: r(`年初(?:财政拨款)?结转和?结余(?:资金)?(?:为)?${AMT}`) },
  { key: (m, before) => (fundScoped(before, m) ? null : 'closingBalance'), re: r(`年末(?:财政拨款)?结转和?结余(?:资金)?(?:为)?${AMT}`) },
  // 预算数 / 决算数 / 完成率 of what the clause is about (“三公”经费, 一般公共预算财政拨款支出, 机关运行经费 …)
  { key: (_m, before) => execKey(before, 'Budget'), re: r(`(?:年初|全年)?预算(?:数)?(?:为)?${AMT}`) },
  { key: (_m, before) => execKey(before, 'Budget'), re: r(`完成(?:年初)?预算${AMT}`) },
  { key: (_m, before) => execKey(before, ''), re: r(`(?:支出)?决算(?:数)?(?:为)?${AMT}`) },
  { key: (_m, before) => execKey(before, 'Rate'), re: r(`完成(?:年初)?(?:预算|全年预算)的?${N}(%)`) },
  { key: 'generalBudgetExpenditure', re: r(`一般公共预算财政拨款支出(?:决算)?(?:为)?${AMT}`) },
  // 支出决算具体情况: 教育（类）支出7029.61万元
  { key: 'expenditureClass', re: r(`([^，,；;：:、。.．\\d（）()]{2,20}?)(?:支出)?[（(]类[)）](?:支出)?${AMT}`), num: 2, unit: 3, label: (m) => `${m[1]}支出` },
  { key: 'procurementTotal', re: r(`政府采购(?:支出|金额)(?:总额)?(?:共)?(?:[（(][^）)]{0,12}[)）])?(?:为)?${AMT}`) },
  { key: (_m, before) => (/政府采购/.test(before) ? 'procurementGoods' : null), re: r(`(?:政府采购)?货物(?:采购)?(?:支出|金额)(?:为)?${AMT}`) },
  { key: (_m, before) => (/政府采购/.test(before) ? 'procurementWorks' : null), re: r(`(?:政府采购)?工程(?:采购)?(?:支出|金额)(?:为)?${AMT}`) },
  { key: (_m, before) => (/政府采购/.test(before) ? 'procurementServices' : null), re: r(`(?:政府采购)?服务(?:采购)?(?:支出|金额)(?:为)?${AMT}`) },
];

/** The figure a 决算 sentence budgets and spends, by the words of its clause (after the last
 *  ；/其中, else the sentence so far): the narrower items first, “三公” as a whole last. */
const EXEC_SUBJECTS: [RegExp, string, string][] = [
  [/因公出国/, 'threePublicAbroad', 'threePublicAbroad'],
  [/公务用车购置及运行/, 'threePublicVehicle', 'threePublicVehicle'],
  [/公务用车运行/, 'vehicleOperation', 'vehicleOperation'],
  [/公务用车购置/, 'vehiclePurchase', 'vehiclePurchase'],
  [/公务接待/, 'threePublicReception', 'threePublicReception'],
  [/三公/, 'threePublicTotal', 'threePublic'],
  [/一般公共预算财政拨款支出/, 'generalBudgetExpenditure', 'generalBudgetExpenditure'],
  [/机关运行经费/, 'agencyOperating', 'agencyOperating'],
];

/** `<figure>` (the outturn), `<base>Budget` or `<base>Rate` for the clause's subject; null when it has none. */
function execKey(before: string, what: '' | 'Budget' | 'Rate'): string | null {
  const cut = Math.max(before.lastIndexOf('；'), before.lastIndexOf(';'), before.lastIndexOf('其中'));
  const clause = cut >= 0 ? before.slice(cut) : before;
  const hit = EXEC_SUBJECTS.find(([re]) => re.test(clause));
  if (!hit) return null;
  return what === '' ? hit[1] : `${hit[2]}${what}`;
}

/** The words before a balance name one fund's (政府性基金/国有资本经营预算…), not the department's. */
function fundScoped(before: string, m: RegExpExecArray): boolean {
  return /政府性基金|国有资本经营/.test(lastSegment(before.slice(0, before.length - m[0].length)));
}

const CHANGE_RE = r(
  `(?:比|较|与)(?:上年|上一年度?|去年|20\\d{2}年)度?(?:预算)?数?(?:相比)?(?:预算数?)?(?:相比)?(增加|减少|增长|下降|上升|降低|减|增)了?${N}(万元|亿元|元|%|个|辆)(?:[，,]?(?:同比)?(增长|下降|上升|降低|增幅|降幅)(?:为)?${N}(%))?`,
);
const SAME_RE = r(`(?:与|同|和)(?:上年|上一年度?|去年|20\\d{2}年)度?(?:预算数?)?(?:相比)?(?:相同|持平|一致|保持一致)`);
const SHARE_RE = r(`占(?:比)?(?:为)?(?:[^，,；;。%\\d]{0,24}?的)?${N}(%)`);
const CLASS_MARK_RE = /(支出包括|主要用于以下方面|主要用于|主要支出方向为|具体包括)[：:]?/;
// 教育支出7009.98万元 / 一般公共服务支出（类）2106.66万元 / 一般公共服务（类）支出9846.82万元
const CLASS_ITEM_RE = r(`(?:其中[：:])?([^，,；;：:、。\\d（）()]{2,30}?)(?:支出[（(]类[)）]|[（(]类[)）]支出|支出)${AMT}(?:[，,]占(?:比)?${N}(%))?`);
/** A paragraph about one 功能分类 项 (教育（类）教育管理事务（款）行政运行（项）。年初预算为…). */
const ITEM_HEAD_RE = /^(?:\d+[、.．])?([^（(]+)[（(]类[)）]([^（(]+)[（(]款[)）]([^（(]+)[（(]项[)）]/;
const ITEM_EXEC_RE = r(
  `(?:年初|全年)?预算(?:数)?(?:为)?${AMT}[，,](?:(?:全年|调整后?的?)预算(?:数)?(?:为)?${AMT}[，,])?支出决算(?:数)?(?:为)?${AMT}(?:[，,]完成(?:年初)?预算的?${N}(%))?`,
);
const PERF_CAT_RE = r(`([^，,；;：:、。\\d]{2,12}?类)项目${N}(个)[，,]涉及(?:项目)?(?:金额|资金)${AMT}`);
// A 第N部分 heading may wrap before its last word (…部门决算情况 / 说明).
const NARRATIVE_HEAD_RE = /^(?:第[一二三四五六七八九十]+部分.{0,40}(?:预算|决算)情况(?:说明)?|.{0,40}(?:预算|决算)情况说明)$/;
const NEXT_PART_RE = /^(第[一二三四五六七八九十]+部分|名词解释$)/;

function lastSegment(s: string): string {
  const i = Math.max(s.lastIndexOf('；'), s.lastIndexOf(';'));
  return i >= 0 ? s.slice(i + 1) : s;
}

function clean(num: string): string {
  return num.replace(/[,，]/g, '');
}

/** The prose lines of the 情况说明 part (all prose when the part has no heading). A 目录 may
 *  repeat the heading without page numbers: of several headings, the one followed by the
 *  longest part is the part. */
function narrativeLines(lines: ProseLine[]): { lines: ProseLine[]; head: string | null } {
  const span = partSpan(lines, (t) => NARRATIVE_HEAD_RE.test(t) && (/^第/.test(t) || !ITEM_START_RE.test(t)), (t) => NEXT_PART_RE.test(t));
  if (!span) return { lines, head: null };
  return { lines: lines.slice(span[0] + 1, span[1]), head: lines[span[0]]!.text.replace(/\s+/g, '').replace(/情况$/, '情况说明') };
}

/** [heading index, end index) of the longest part whose heading passes isHead, ending at the
 *  next line that passes isEnd. */
export function partSpan(lines: ProseLine[], isHead: (t: string) => boolean, isEnd: (t: string) => boolean): [number, number] | null {
  let best: [number, number] | null = null;
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.text.replace(/\s+/g, '');
    if (isTocLine(lines[i]!) || !isHead(t)) continue;
    let end = lines.length;
    for (let k = i + 1; k < lines.length; k++) {
      if (!isTocLine(lines[k]!) && isEnd(lines[k]!.text.replace(/\s+/g, ''))) {
        end = k;
        break;
      }
    }
    if (!best || end - i > best[1] - best[0]) best = [i, end];
  }
  return best;
}

interface Hit {
  item: NarrativeItem;
  at: number;
}

/** `kind`: a final-accounts (决算) document adds the 决算 phrasing (FINAL_RULES); without it,
 *  a 情况说明 headed …决算情况说明 does. */
/** `prose`: the pages' prose lines, when the caller has them already (extractOverview reads them too). */
export function extractNarrative(pages: PageData[], kind?: 'budget' | 'final_accounts' | null, prose: ProseLine[] = proseLines(pages)): NarrativeItem[] {
  const lines = narrativeLines(prose);
  const final = kind ? kind === 'final_accounts' : lines.head !== null && /决算情况说明$/.test(lines.head);
  const rules = final ? [...FINAL_RULES, ...RULES] : RULES;
  const paras = paragraphs(lines.lines);
  const out: NarrativeItem[] = [];
  let perfScope: 'managed' | 'published' = 'managed';
  for (const p of paras) {
    let off = 0;
    for (const raw of p.text.split(/(?<=。)/)) {
      const start = off;
      off += raw.length;
      const s = raw;
      if (!/\d/.test(s)) continue;
      const page = (i: number) => pageAt(p, start + i);
      const claimed = new Set<number>();
      const hits: Hit[] = [];
      const add = (key: string, value: string, unit: string | null, at: number, extra: Partial<NarrativeItem> = {}) => {
        hits.push({ item: { key, ...('label' in extra ? { label: extra.label } : {}), value: clean(value), unit, ...(extra.direction ? { direction: extra.direction } : {}), sentence: s, page: page(at) }, at });
      };
      // 功能分类 lists: 支出包括：公共安全支出8,304.96万元、…
      const mark = CLASS_MARK_RE.exec(s);
      if (mark) {
        // Whose classes: the paragraph's subject (its first sentence) or the words before the list.
        const subject = (p.text.split('。')[0] ?? '') + s.slice(0, mark.index);
        const family = /一般公共预算/.test(subject)
          ? 'generalBudgetClass'
          : /财政拨款/.test(subject)
            ? 'fiscalClass'
            : /政府性基金/.test(subject)
              ? 'govFundClass'
              : 'expenditureClass';
        CLASS_ITEM_RE.lastIndex = mark.index + mark[0].length;
        for (let m = CLASS_ITEM_RE.exec(s); m; m = CLASS_ITEM_RE.exec(s)) {
          const at = m.indices![2]![0];
          if (claimed.has(at)) continue;
          claimed.add(at);
          const label = `${m[1]!}支出`;
          add(family, m[2]!, m[3]!, at, { label });
          if (m[4]) {
            claimed.add(m.indices![4]![0]);
            add(`${family}Share`, m[4], '%', m.indices![4]![0], { label });
          }
        }
      }
      // 项 of the general budget: 预算数, 决算数 and 完成率, labelled 类/款/项
      const head = ITEM_HEAD_RE.exec(p.text);
      if (head && final) {
        const label = `${head[1]}/${head[2]}/${head[3]}`;
        ITEM_EXEC_RE.lastIndex = 0;
        for (let m = ITEM_EXEC_RE.exec(s); m; m = ITEM_EXEC_RE.exec(s)) {
          for (const [key, g] of [['generalBudgetItemBudget', 1], ['generalBudgetItem', 5], ['generalBudgetItemRate', 7]] as const) {
            if (!m[g]) continue;
            claimed.add(m.indices![g]![0]);
            add(key, m[g], m[g + 1]!, m.indices![g]![0], { label });
          }
        }
      }
      // 绩效 categories: 其他运转类项目41个，涉及金额4,160.08万元
      if (/公开项目绩效目标/.test(s)) perfScope = 'published';
      else if (/纳入绩效目标管理/.test(s)) perfScope = 'managed';
      PERF_CAT_RE.lastIndex = 0;
      for (let m = PERF_CAT_RE.exec(s); m; m = PERF_CAT_RE.exec(s)) {
        const prefix = perfScope === 'published' ? 'perfPublishedCategory' : 'perfCategory';
        claimed.add(m.indices![2]![0]);
        claimed.add(m.indices![4]![0]);
        add(`${prefix}Count`, m[2]!, m[3]!, m.indices![2]![0], { label: m[1]! });
        add(`${prefix}Amount`, m[4]!, m[5]!, m.indices![4]![0], { label: m[1]! });
      }
      for (const rule of rules) {
        rule.re.lastIndex = 0;
        for (let m = rule.re.exec(s); m; m = rule.re.exec(s)) {
          const g = rule.num ?? 1;
          const at = m.indices![g]![0];
          if (claimed.has(at)) {
            rule.re.lastIndex = m.index + 1;
            continue;
          }
          const key = typeof rule.key === 'function' ? rule.key(m, s.slice(0, m.index + m[0].length)) : rule.key;
          if (!key) continue;
          claimed.add(at);
          add(key, m[g]!, m[rule.unit ?? 2] ?? null, at, rule.label ? { label: rule.label(m) } : {});
          if (rule.also) add(rule.also, m[g]!, m[rule.unit ?? 2] ?? null, at);
          rule.re.lastIndex = m.index + 1;
        }
      }
      hits.sort((a, b) => a.at - b.at);
      const keyHits = hits.slice();
      const subjectBefore = (at: number): Hit | null => {
        const before = keyHits.filter((h) => h.at < at && !/(Share|Change|ChangePct)$/.test(h.item.key));
        if (!before.length) return null;
        // Inside an itemisation (… 总计X，其中：A，B，比上年…) the change is the total's.
        const segStart = Math.max(s.lastIndexOf('；', at), s.lastIndexOf(';', at)) + 1;
        const q = s.indexOf('其中', segStart);
        if (q >= 0 && q < at) {
          const head = before.filter((h) => h.at >= segStart && h.at < q);
          if (head.length) return head[head.length - 1]!;
        }
        return before[before.length - 1]!;
      };
      const extra: Hit[] = [];
      CHANGE_RE.lastIndex = 0;
      for (let m = CHANGE_RE.exec(s); m; m = CHANGE_RE.exec(s)) {
        const subj = subjectBefore(m.index);
        if (!subj) continue;
        const dir = /增|上升/.test(m[1]!) ? 'increase' : 'decrease';
        const unit = m[3]!;
        const base = subj.item;
        const mk = (key: string, v: string, u: string, at: number, d: 'increase' | 'decrease') =>
          extra.push({ at, item: { key, ...(base.label ? { label: base.label } : {}), value: clean(v), unit: u, direction: d, sentence: s, page: page(at) } });
        mk(unit === '%' ? `${base.key}ChangePct` : `${base.key}Change`, m[2]!, unit, m.indices![2]![0], dir);
        if (m[5]) mk(`${base.key}ChangePct`, m[5], '%', m.indices![5]![0], /增|上升/.test(m[4]!) ? 'increase' : 'decrease');
      }
      SAME_RE.lastIndex = 0;
      for (let m = SAME_RE.exec(s); m; m = SAME_RE.exec(s)) {
        const subj = subjectBefore(m.index);
        if (!subj || extra.some((e) => e.item.key === `${subj.item.key}Change`)) continue;
        extra.push({ at: m.index, item: { key: `${subj.item.key}Change`, ...(subj.item.label ? { label: subj.item.label } : {}), value: '0', unit: subj.item.unit, direction: 'same', sentence: s, page: page(m.index) } });
      }
      SHARE_RE.lastIndex = 0;
      for (let m = SHARE_RE.exec(s); m; m = SHARE_RE.exec(s)) {
        const at = m.indices![1]![0];
        if (claimed.has(at)) continue;
        const before = keyHits.filter((h) => h.at < m!.index && !/(Share|Change|ChangePct)$/.test(h.item.key));
        const subj = before[before.length - 1];
        if (!subj) continue;
        extra.push({ at, item: { key: `${subj.item.key}Share`, ...(subj.item.label ? { label: subj.item.label } : {}), value: clean(m[1]!), unit: '%', sentence: s, page: page(at) } });
      }
      for (const h of [...hits, ...extra].sort((a, b) => a.at - b.at)) out.push(h.item);
    }
  }
  return out;
}

/** The narrative as one object keyed as the corpus README lists them (`incomeTotal`, …):
 *  the first figure stated under each key; family items (a 类, a vehicle kind) as
 *  `key.label`. `unit` is the unit most amounts are stated in. */
export function narrativeObject(items: NarrativeItem[]): Record<string, string> {
  const out: Record<string, string> = {};
  const units = new Map<string, number>();
  for (const it of items) {
    if (it.unit && /元$/.test(it.unit)) units.set(it.unit, (units.get(it.unit) ?? 0) + 1);
    const k = it.label ? `${it.key}.${it.label}` : it.key;
    if (!(k in out)) out[k] = it.value;
  }
  let unit: string | null = null;
  let n = 0;
  for (const [u, c] of units) if (c > n) [unit, n] = [u, c];
  return unit ? { unit, ...out } : out;
}

export type { Paragraph };
