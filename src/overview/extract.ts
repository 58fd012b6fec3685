/** 概况: the department's duties, its institutions and its staffing, as data.
 *
 *  The part runs from its heading (第一部分 概况, or a bare 部门概况/单位概况) to the next
 *  part; without a heading, the prose before the first 第…部分 / the first table is read.
 *  Duties are the numbered items under the 职责/职能 heading (or its paragraphs when they are
 *  not numbered). Institution lists are the enumerations after 分别是/包括/为 in the sentences
 *  naming 内设…, 派出机构, 事业单位/下属单位. Staffing figures are the N人 stated with 编制
 *  (by kind), 实有 (total, then by kind after 其中), and the other headcounts (离退休…). */
import type { PageData } from '../pdf/types.js';
import type { Overview } from '../model.js';
import { paragraphs, proseLines, type Paragraph, type ProseLine } from '../narrative/prose.js';
import { partSpan } from '../narrative/extract.js';

export type { Overview };
type Staffing = Overview['staffing'];

const OVERVIEW_HEAD_RE = /^(第[一二三四五六七八九十]+部分)?.{0,30}?(概况|基本情况)$/;
const PART_RE = /^第[一二三四五六七八九十]+部分/;
const DUTY_HEAD_RE = /^([一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)])?(本?部门|单位|机构)?(主要|基本)?(职责|职能)(情况|及机构设置)?[：:]?$/;
const TOP_SECTION_RE = /^[一二三四五六七八九十]+[、.．]/;
const NUMBER_PREFIX_RE = /^(\d+[、.．](?!\d)|[（(][一二三四五六七八九十\d]+[）)]|[①-⑳]|[一二三四五六七八九十]+[、.．])\s*/;

function overviewLines(lines: ProseLine[]): ProseLine[] {
  const span =
    partSpan(lines, (t) => OVERVIEW_HEAD_RE.test(t), (t) => PART_RE.test(t)) ??
    // No 概况 heading: from the 职责 heading on.
    partSpan(lines, (t) => DUTY_HEAD_RE.test(t), (t) => PART_RE.test(t));
  if (!span) return [];
  const from = OVERVIEW_HEAD_RE.test(lines[span[0]]!.text.replace(/\s+/g, '')) ? span[0] + 1 : span[0];
  return lines.slice(from, span[1]);
}

/** Splits an enumeration (甲、乙、丙等。) into its names. */
function names(list: string): string[] {
  return list
    .replace(/[。.]$/, '')
    .replace(/等(\d+个)?(单位|机构|部门)?$/, '')
    .split(/[、，,；;]/)
    .map((s) => s.replace(/^(和|及|以及)/, '').trim())
    .filter((s) => s.length >= 2 && s.length <= 40 && !/^\d+个$/.test(s));
}

const LIST_MARK_RE = /(分别是|分别为|包括|具体为|为)[：:]?/;

/** The enumeration after 分别是/包括/为 in a sentence, or after a colon. */
function enumeration(sentence: string): string[] {
  const m = /(分别是|分别为|具体为|包括)[：:]?/.exec(sentence) ?? /[：:]/.exec(sentence) ?? LIST_MARK_RE.exec(sentence);
  if (!m) return [];
  const rest = sentence.slice(m.index + m[0].length);
  // A nested count (本级及所属事业单位3个，分别是：…) puts the names after the last marker.
  const again = /(分别是|分别为)[：:]?/.exec(rest);
  return names(again ? rest.slice(again.index + again[0].length) : rest);
}

function toInt(s: string): number {
  return Number(s.replace(/[,，]/g, ''));
}

/** `prose`: the pages' prose lines, when the caller has them already (extractNarrative reads them too). */
export function extractOverview(pages: PageData[], prose: ProseLine[] = proseLines(pages)): Overview | null {
  const lines = overviewLines(prose);
  if (!lines.length) return null;
  const paras = paragraphs(lines);
  const ov: Overview = {
    duties: [],
    internalUnits: [],
    dispatchedAgencies: [],
    affiliatedUnits: [],
    staffing: { establishmentTotal: null, establishment: {}, actualTotal: null, actual: {}, other: {} },
    pages: [...new Set(lines.map((l) => l.page))],
  };
  // Duties: paragraphs under the 职责 heading, up to the next top-level heading (二、…).
  const di = paras.findIndex((p) => DUTY_HEAD_RE.test(p.text));
  if (di >= 0) {
    const body: string[] = [];
    for (let i = di + 1; i < paras.length; i++) {
      const t = paras[i]!.text;
      if (TOP_SECTION_RE.test(t) || PART_RE.test(t)) break;
      body.push(t);
    }
    const numbered = body.some((t) => NUMBER_PREFIX_RE.test(t));
    const items: string[] = [];
    for (const t of body) {
      if (numbered && NUMBER_PREFIX_RE.test(t)) items.push(t.replace(NUMBER_PREFIX_RE, '').trim());
      else if (numbered && items.length) items[items.length - 1] += t;
      else if (numbered || /[:：]$/.test(t)) continue; // the lead-in (…的主要职责是：)
      else items.push(t.trim());
    }
    ov.duties = items.filter(Boolean);
  }
  for (const p of paras.slice(di >= 0 ? di + 1 : 0)) readInstitutions(p, ov);
  for (const p of paras) readStaffing(p, ov.staffing);
  return ov;
}

function readInstitutions(p: Paragraph, ov: Overview) {
  for (const s of p.text.split(/(?<=[。；;])/)) {
    if (!/(分别是|分别为|包括|为|[：:])/.test(s)) continue;
    const head = s.slice(0, Math.max(0, s.search(/(分别是|分别为|包括|具体为|为|[：:])/)));
    let target: string[] | null = null;
    if (/内设/.test(head)) target = ov.internalUnits;
    else if (/派出机构/.test(head)) target = ov.dispatchedAgencies;
    else if (/(事业单位|下属单位|所属单位|直属单位|二级单位|预算单位|预算编制范围)/.test(head)) target = ov.affiliatedUnits;
    if (!target || target.length) continue;
    target.push(...enumeration(s));
  }
}

/** Every "<what>N人" of a sentence: <what> is the text back to the previous separator. */
const COUNT_RE = /([^，,。；;：:\d]{1,20}?)(\d+)(?:名|人)/g;
const LEAD_RE = /^(.*?(有|为|其中|截至|截止|底|共|年|，|,))+/;

function readStaffing(p: Paragraph, st: Staffing) {
  for (const s of p.text.split(/(?<=[。；;])/)) {
    let afterActual = false;
    let listing = false;
    for (const m of s.matchAll(COUNT_RE)) {
      const raw = m[1]!;
      const n = toInt(m[2]!);
      const before = s.slice(0, m.index);
      if (/编制/.test(raw)) {
        const kind = raw
          .replace(/^.*?(其中|现有|核定|共有|另有)/, '')
          .replace(/^[、和及]+/, '')
          .replace(/^(本部门|本单位|全局|全部门)/, '')
          .replace(/数$/, '');
        if (/总|^(人员)?编制$|核定|人数/.test(kind)) st.establishmentTotal ??= n;
        else st.establishment[kind.replace(/(编制).*$/, '$1')] ??= n;
        continue;
      }
      if (/实有/.test(raw)) {
        st.actualTotal ??= n;
        afterActual = true;
        listing = false;
        continue;
      }
      if (afterActual && (/其中/.test(raw) || /其中/.test(before.slice(before.lastIndexOf('实有'))))) listing = true;
      const kind = raw.replace(LEAD_RE, '').replace(/^[、和及]+|^以及/, '').trim();
      if (!kind) continue;
      if (listing && !/离|退|遗属|辅警|临时|聘用|外聘/.test(kind)) st.actual[kind] ??= n;
      else if (/(人员|离休|退休|遗属|辅警|职工|工勤|聘用|临时|在职|在编|干部|民警|公务员)$/.test(kind)) st.other[kind] ??= n;
    }
  }
}

