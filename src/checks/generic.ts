/**
 * Generic intra-table rules, written as data plus a small interpreter:
 *  - row rules (R): on every row, a field = the sum of its part fields (total = basic + project,
 *    total = Σ funds, basic = personnel + public_funds, …), for every table that prints those fields;
 *  - hierarchy (H): 类 = Σ 款, 款 = Σ 项 by code prefix, and the 合计 row = Σ top-level rows, in
 *    every numeric column of every code table; named economic classes when no codes are printed;
 *  - lists (H): unit lists and project tables (department = Σ units, unit = Σ its projects);
 *  - 三公 categories (B19/D15).
 */
import type { CheckResult, Row } from '../model.js';
import type { Doc } from './doc.js';
import { projectTotalRow, totalRow } from './doc.js';
import { type Term, type TableView, compare, holds, note, rowLabel, skipped } from './engine.js';
import {
  THREE_PUBLIC_ROWS, UNIT_SUFFIX, baseKey, isEconomicClassName, isFunctionClassName, isMemo, isSubItem, isTotalName, nameIs, normName,
  ordinalRank,
} from './names.js';
import { SUMMARY_TABLES } from './summary.js';

/** Catalogue rule id for the row and hierarchy identities of a table. */
export const TABLE_RULE: Record<string, string> = {
  income_summary: 'B6',
  expenditure_summary: 'B8',
  fiscal_summary: 'B11',
  general_budget_expenditure: 'B14',
  general_budget_basic: 'B17',
  three_public: 'B19',
  gov_fund_expenditure: 'B20',
  state_capital: 'B20',
  final_income: 'D5',
  final_expenditure: 'D7',
  final_fiscal_summary: 'D9',
  final_general_budget_expenditure: 'D12',
  final_general_budget_basic: 'D14',
  final_three_public: 'D15',
  final_gov_fund: 'D16',
  final_state_capital: 'D16',
};

/** The rule id of a table's hierarchy (类 = Σ 款 = Σ 项, 合计 = Σ 类): a 决算 table's own catalogue
 *  id (background.md §4.5 lists "(hier)" under D5, D7, D12, D14, D16), else the generic H. */
export function hierRule(v: TableView): string {
  return v.id.startsWith('final_') && TABLE_RULE[v.id] ? TABLE_RULE[v.id]! : 'H';
}

// ---- field trees ---------------------------------------------------------------------------------

/** A field and, when it is a subtotal, the fields it is the sum of. */
interface FieldNode {
  f: string;
  /** alternative field ids printed for the same thing */
  alt?: string[];
  parts?: FieldNode[];
  /** the node's own equation needs every part printed (a missing column is not a zero) */
  allParts?: boolean;
}
const leaf = (f: string, alt?: string[]): FieldNode => ({ f, alt });
const node = (f: string, parts: FieldNode[], alt?: string[]): FieldNode => ({ f, parts, alt });

const CARRYOVER = node('carryover', ['general_budget', 'gov_fund', 'state_capital', 'special_account', 'unit_funds'].map((x) => leaf(`carryover_${x}`)));
const CURRENT = node('current_year', [
  node('fiscal_total', [leaf('general_budget'), leaf('gov_fund'), leaf('state_capital')], ['fiscal_appropriation']),
  leaf('special_account'),
  node('unit_funds', [
    leaf('business_income'), leaf('operating_income'), leaf('superior_subsidy'), leaf('affiliated_remit'), leaf('other_income'),
  ]),
  leaf('business_fund_offset'),
]);

// 上年实户资金余额 (Xi'an): money left on the units' own accounts, a source beside 上年结转
const FUNDS_TREE = node('total', [CARRYOVER, CURRENT, leaf('non_fiscal_surplus'), leaf('prior_account_balance')]);

const VEHICLE: FieldNode = { f: 'vehicle', parts: [leaf('vehicle_purchase'), leaf('vehicle_operation')], allParts: true };

/** Decompositions of a row: `root` = Σ parts, applied where the table prints root and a part. */
interface Decomp {
  name: string;
  tree: FieldNode;
  /** the carryover subtree may or may not be in the total (decided per table from its rows) */
  optionalCarryover?: boolean;
  /** only for these tables (default: all) */
  tables?: string[];
  /** not for these tables */
  notTables?: string[];
  /** require every listed field present in the table */
  requires?: string[];
  /** require one of these fields */
  requiresAny?: string[];
  /** only for 三公 tables keyed by unit (categories as columns) */
  unitKeyedThreePublic?: boolean;
}

const DECOMPS: Decomp[] = [
  {
    name: 'funds',
    tree: FUNDS_TREE,
    optionalCarryover: true,
    // a 决算 政府性基金/国有资本 table's `total` is 本年支出, not a sum of sources (D16 balances it)
    notTables: ['budget_summary', 'final_summary', 'government_procurement', 'final_gov_fund', 'final_state_capital'],
  },
  {
    name: 'kind',
    tree: node('total', [
      node('basic', [leaf('personnel'), leaf('public_funds')]), leaf('project'), leaf('operating_expense'),
      leaf('remit_superior'), leaf('affiliated_subsidy'),
    ]),
    requiresAny: ['basic', 'project', 'personnel'],
  },
  { name: 'year', tree: node('total', [leaf('current_year'), leaf('carryover')]), tables: ['budget_summary'] },
  { name: 'procurement', tree: node('total', [leaf('goods'), leaf('works'), leaf('services')]), requires: ['goods'] },
  {
    name: 'three_public',
    unitKeyedThreePublic: true,
    tree: node('three_public', [leaf('abroad'), VEHICLE, leaf('reception')]),
  },
  {
    name: 'three_public_total',
    unitKeyedThreePublic: true,
    tree: node('total', [leaf('abroad'), VEHICLE, leaf('reception')]),
    requires: ['abroad', 'reception'],
    notTables: ['government_procurement'],
  },
];

type Push = (r: CheckResult | null) => void;

/** The field a node reads in this table (itself or an alternative id), or null. */
function fieldIn(v: TableView, n: FieldNode, prefix: string): string | null {
  for (const f of [n.f, ...(n.alt ?? [])]) if (v.has(prefix + f)) return prefix + f;
  return null;
}

/** Leaf-most fields expressing node n in this table: the node's own field, else its parts'. */
function expand(v: TableView, n: FieldNode, prefix: string, skip?: FieldNode): string[] {
  if (n === skip) return [];
  const f = fieldIn(v, n, prefix);
  if (f) return [f];
  return (n.parts ?? []).flatMap((p) => expand(v, p, prefix, skip));
}

/** Internal nodes printed in this table, with the fields of their parts. */
function equations(v: TableView, tree: FieldNode, prefix: string, skip?: FieldNode): { root: string; parts: string[]; node: FieldNode }[] {
  const out: { root: string; parts: string[]; node: FieldNode }[] = [];
  const walk = (n: FieldNode) => {
    if (!n.parts) return;
    const f = fieldIn(v, n, prefix);
    if (f) {
      const parts = n.parts.flatMap((p) => expand(v, p, prefix, skip));
      const complete = !n.allParts || n.parts.every((p) => expand(v, p, prefix, skip).length);
      if (parts.length && complete) out.push({ root: f, parts, node: n });
    }
    for (const p of n.parts) walk(p);
  };
  walk(tree);
  return out;
}

const prefixes = (v: TableView) => ['', ...['prior_', 'budget_'].filter((p) => [...v.fields].some((f) => f.startsWith(p)))];

function rowScope(v: TableView): Row[] {
  return SUMMARY_TABLES.includes(v.id) ? v.rows.filter((r) => r.side === 'expenditure') : v.rows;
}

/** Row rules: on each row, field = Σ parts. */
export function rowRules(doc: Doc, v: TableView, push: Push, out: CheckResult[]): void {
  const rule = TABLE_RULE[v.id] ?? 'R';
  if (v.unknownNumericFields.length) {
    out.push(skipped(rule, `${rule}:${v.label}:rows`, `${v.label}: unmapped numeric columns ${v.unknownNumericFields.join(', ')}; row sums not checked`));
    return;
  }
  const rows = rowScope(v);
  const seen = new Set<string>();
  for (const d of DECOMPS) {
    if (d.tables && !d.tables.includes(v.id)) continue;
    if (d.notTables && d.notTables.includes(v.id)) continue;
    if (d.requires && !d.requires.every((f) => v.has(f))) continue;
    if (d.requiresAny && !d.requiresAny.some((f) => v.has(f))) continue;
    if (d.unitKeyedThreePublic && categoryKeyedThreePublic(v)) continue;
    for (const prefix of prefixes(v)) {
      let skipNode: FieldNode | undefined;
      if (d.optionalCarryover && v.has(prefix + 'carryover') && v.has(prefix + 'total')) skipNode = carryoverMode(v, prefix) === 'excl' ? CARRYOVER : undefined;
      for (const eq of equations(v, d.tree, prefix, skipNode)) {
        const key = `${eq.root}=${eq.parts.join('+')}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const results: CheckResult[] = [];
        for (const r of rows) {
          const l = v.cell(r, eq.root);
          const parts = eq.parts.map((f) => v.cell(r, f)).filter((t): t is Term => !!t);
          if (!l || !parts.length) continue;
          const c = compare([l], parts, { rule, id: `${rule}:${v.label}:${r.key}.${eq.root}=Σ${eq.parts.join('+')}`, severity: 'E', defaultUnit: doc.defaultUnit });
          if (c) results.push(c);
        }
        pushDoubtful(results, push, `${rule}:${v.label}:${eq.root}=Σ${eq.parts.join('+')}`, rule, `${v.label}: ${eq.root} = ${eq.parts.join(' + ')}`);
      }
    }
  }
}

/**
 * Push a rule's per-row results; when it fails on most rows (3 or more), the columns were most
 * likely mis-mapped rather than the document being wrong on every line: one warning instead.
 */
export function pushDoubtful(results: CheckResult[], push: Push, id: string, rule: string, what: string): void {
  const fails = results.filter((r) => r.status === 'fail');
  const nonTrivial = results.filter((r) => r.status !== 'pass' || (r.left !== null && !/^-?0(\.0+)?$/.test(r.left)));
  if (fails.length >= 3 && fails.length * 2 > nonTrivial.length) {
    for (const r of results) if (r.status !== 'fail') push(r);
    push(note(rule, id, 'warning', `${what} fails on ${fails.length} of ${results.length} rows: columns probably mis-mapped (first: ${fails[0]!.message})`, fails[0]!.refs));
    return;
  }
  results.forEach(push);
}

/** Whether a table's `total` includes its `carryover` column ('incl') or not ('excl'), by majority of its rows. */
export function carryoverMode(v: TableView, prefix = ''): 'incl' | 'excl' | null {
  if (!v.has(prefix + 'carryover') || !v.has(prefix + 'total')) return null;
  let incl = 0;
  let excl = 0;
  const withC = equations(v, FUNDS_TREE, prefix)[0];
  const without = equations(v, FUNDS_TREE, prefix, CARRYOVER)[0];
  if (!withC || !without) return null;
  for (const r of rowScope(v)) {
    const c = v.cell(r, prefix + 'carryover');
    if (!c || c.value.isZero()) continue;
    if (holds([v.cell(r, withC.root)!], withC.parts.map((f) => v.cell(r, f)!).filter(Boolean))) incl++;
    if (holds([v.cell(r, without.root)!], without.parts.map((f) => v.cell(r, f)!).filter(Boolean))) excl++;
  }
  if (!incl && !excl) return null;
  return excl > incl ? 'excl' : 'incl';
}

// ---- hierarchy by code ---------------------------------------------------------------------------

/** 功能/经济/收入 classification codes: 3 (类), 5 (款), 7 (项) digits. */
export function isHierCode(code: string | null | undefined): boolean {
  return !!code && /^\d{3}(?:\d{2}){0,2}$/.test(code);
}

const PROJECT_TABLES = ['project_expenditure', 'project_expenditure_carryover'];

/** Numeric fields of a table (those it prints). */
function numericFields(v: TableView): string[] {
  // ratios (增减率, 占比) do not add up; whole words of the field id only (vehicle_operation is an amount)
  return [...v.fields].filter((f) => !/^col\d+$/.test(f) && !/(?:^|_)(?:pct|percent|rate|ratio|share)(?:_|$)/.test(f));
}

export function codeHierarchy(doc: Doc, v: TableView, push: Push): boolean {
  if (SUMMARY_TABLES.includes(v.id) || PROJECT_TABLES.includes(v.id)) return false;
  const coded = v.rows.filter((r) => isHierCode(r.code));
  if (coded.length < 2) return false;
  const fields = numericFields(v);
  // blocks: a repeated code or a non-code, non-total row with values between code rows starts a new block
  // (a row without figures, e.g. a page footer —12— read into the table, does not)
  const hasFigure = (r: Row) => Object.values(r.values ?? {}).some((x) => /\d/.test(x));
  const blocks: Row[][] = [];
  let cur: Row[] = [];
  let seen = new Set<string>();
  let startedCodes = false;
  // only a repeated top-level code (a unit's 类 rows again) starts a new block; a 款/项 code printed
  // twice (30208 取暖费, 30208 物业管理费) is a sibling under the same parent
  const topLen = Math.min(...coded.map((r) => r.code!.length));
  for (const r of v.rows) {
    const isCode = isHierCode(r.code);
    if (isCode) {
      if (seen.has(r.code!) && r.code!.length === topLen) {
        blocks.push(cur);
        cur = [];
        seen = new Set();
      }
      seen.add(r.code!);
      cur.push(r);
      startedCodes = true;
    } else if (!isTotalName(r.name) && startedCodes && !isSubItem(r.name) && hasFigure(r)) {
      blocks.push(cur);
      cur = [];
      seen = new Set();
    }
  }
  blocks.push(cur);
  const nonEmpty = blocks.filter((b) => b.length);
  const H = hierRule(v);
  const spec = (where: string) => ({ rule: H, id: `${H}:${v.label}:${where}`, severity: 'E' as const, defaultUnit: doc.defaultUnit });
  const tops: Row[] = [];
  for (const block of nonEmpty) {
    const parentOf = parentsByCode(block);
    // Each parent's children in block order.
    const kidsOf = new Map<Row, Row[]>();
    for (const r of block) {
      const p = parentOf.get(r);
      if (!p) continue;
      const kids = kidsOf.get(p);
      if (kids) kids.push(r);
      else kidsOf.set(p, [r]);
    }
    for (const p of block) {
      const kids = kidsOf.get(p);
      if (!kids) continue;
      for (const f of fields) {
        const l = v.cell(p, f);
        const parts = kids.map((k) => v.cell(k, f)).filter((t): t is Term => !!t);
        if (l) push(compare([l], parts, spec(`${p.key}.${f}`)));
      }
    }
    tops.push(...block.filter((r) => !parentOf.get(r)));
  }
  // The 合计 is the sum of the top-level lines of every block: blocks repeat codes (a list per
  // unit, or one line per function × economic class) but no line stands between them that
  // could be a subtotal.
  const t = totalRow(v);
  const lens = new Set(tops.map((r) => r.code!.length));
  const stray = v.rows.filter((r) => r !== t && !r.code && !isSubItem(r.name) && Object.values(r.values ?? {}).some((x) => /[1-9]/.test(x)));
  if (t && tops.length && lens.size === 1 && !stray.length) {
    for (const f of fields) {
      const l = v.cell(t, f);
      const parts = tops.map((k) => v.cell(k, f)).filter((x): x is Term => !!x);
      if (l) push(compare([l], parts, spec(`${t.key}.${f}`)));
    }
  }
  return true;
}

/** Each code row's parent in its block: the row with the longest code that is a proper prefix
 *  of its own (the first such row where a code is printed twice), or null. */
function parentsByCode(block: Row[]): Map<Row, Row | null> {
  const firstWith = new Map<string, Row>();
  for (const r of block) if (r.code && !firstWith.has(r.code)) firstWith.set(r.code, r);
  const parentOf = new Map<Row, Row | null>();
  for (const r of block) {
    let best: Row | null = null;
    for (let len = (r.code?.length ?? 0) - 1; len > 0 && !best; len--) best = firstWith.get(r.code!.slice(0, len)) ?? null;
    parentOf.set(r, best);
  }
  return parentOf;
}

const widthCache = new WeakMap<TableView, Map<string, number>>();

/**
 * How many rounded figures a cell stands for, for comparisons with other tables: a code row whose
 * printed figure is exactly the sum of its printed child rows (by code prefix), or the 合计 row that
 * is exactly the sum of the top-level code rows, was added up from rounded figures and counts their
 * widths (236.64 = 40.35 + 196.29 while another table prints the exact rounding, 236.63); any other
 * figure counts 1. Tables with one code hierarchy only (no repeated 类 codes).
 */
export function roundingWidth(v: TableView, r: Row, f: string): number {
  let cache = widthCache.get(v);
  if (!cache) {
    cache = new Map();
    widthCache.set(v, cache);
  }
  const k = `${v.rows.indexOf(r)}:${f}`;
  const hit = cache.get(k);
  if (hit !== undefined) return hit;
  cache.set(k, 1);
  let w = 1;
  const kids = childRows(v, r);
  if (kids && kids.length) {
    const own = v.cell(r, f);
    const parts = kids.map((x) => v.cell(x, f));
    if (own?.printed && parts.every((t) => !!t) && parts.some((t) => t!.printed)) {
      const sum = parts.reduce((a, t) => a.plus(t!.value), own.value.minus(own.value));
      if (sum.eq(own.value)) w = Math.max(1, kids.reduce((a, x) => a + roundingWidth(v, x, f), 0));
    }
  }
  cache.set(k, w);
  return w;
}

const kidsCache = new WeakMap<TableView, Map<Row, Row[]> | null>();

/** The rows a row is printed as the sum of, in a table with one code hierarchy; null when unknown. */
function childRows(v: TableView, r: Row): Row[] | null {
  let m = kidsCache.get(v);
  if (m === undefined) {
    m = null;
    if (!SUMMARY_TABLES.includes(v.id) && !PROJECT_TABLES.includes(v.id)) {
      const coded = v.rows.filter((x) => isHierCode(x.code));
      const topLen = coded.length ? Math.min(...coded.map((x) => x.code!.length)) : 0;
      const tops = coded.filter((x) => x.code!.length === topLen);
      if (coded.length >= 2 && new Set(tops.map((x) => x.code)).size === tops.length) {
        m = new Map();
        const rootKids: Row[] = [];
        const parentOf = parentsByCode(coded);
        for (const x of coded) {
          const best = parentOf.get(x);
          if (!best) rootKids.push(x);
          else if (m.has(best)) m.get(best)!.push(x);
          else m.set(best, [x]);
        }
        const t = totalRow(v);
        const stray = v.rows.filter((x) => x !== t && !x.code && !isSubItem(x.name) && Object.values(x.values ?? {}).some((y) => /[1-9]/.test(y)));
        if (t && !stray.length && rootKids.every((x) => x.code!.length === topLen)) m.set(t, rootKids);
      }
    }
    kidsCache.set(v, m);
  }
  return m ? (m.get(r) ?? null) : null;
}

/** Economic-class hierarchy by name (basic-expenditure tables without codes): 类 = Σ following rows; 合计 = Σ 类. */
export function namedEconomicHierarchy(doc: Doc, v: TableView, push: Push): void {
  if (!['general_budget_basic', 'final_general_budget_basic'].includes(v.id)) return;
  if (v.rows.some((r) => r.code && /^\d{3,}$/.test(r.code))) return;
  const t = totalRow(v);
  const fields = numericFields(v);
  const groups = new Map<number, Row[]>();
  for (const r of v.rows) {
    if (r === t || isTotalName(r.name)) continue;
    const g = r.group ?? 0;
    groups.set(g, [...(groups.get(g) ?? []), r]);
  }
  const classes: Row[] = [];
  let ok = true;
  const H = hierRule(v);
  const spec = (where: string) => ({ rule: H, id: `${H}:${v.label}:${where}`, severity: 'E' as const, defaultUnit: doc.defaultUnit });
  for (const rows of groups.values()) {
    let i = 0;
    if (rows.length && !isEconomicClassName(rows[0]!.name)) ok = false;
    while (i < rows.length) {
      const c = rows[i]!;
      if (!isEconomicClassName(c.name)) {
        i++;
        continue;
      }
      classes.push(c);
      const kids: Row[] = [];
      let j = i + 1;
      for (; j < rows.length && !isEconomicClassName(rows[j]!.name); j++) kids.push(rows[j]!);
      const direct = kids.filter((k) => !/^其中/.test(String(k.name).replace(/\s+/g, '')));
      if (direct.length) {
        for (const f of fields) {
          const l = v.cell(c, f);
          const parts = direct.map((k) => v.cell(k, f)).filter((x): x is Term => !!x);
          if (l) push(compare([l], parts, spec(`${rowLabel(c)}.${f}`)));
        }
      }
      i = j;
    }
  }
  if (t && ok && classes.length) {
    for (const f of fields) {
      const l = v.cell(t, f);
      const parts = classes.map((k) => v.cell(k, f)).filter((x): x is Term => !!x);
      if (l) push(compare([l], parts, spec(`${t.key}.${f}`)));
    }
  }
}

// ---- unit lists and project tables -------------------------------------------------------------

interface Eq {
  left: Row;
  right: Row[];
}

/** Evaluate a set of equations over every field; returns results, and whether all held. */
function evalEqs(doc: Doc, v: TableView, eqs: Eq[], fields: string[], where: string): { results: CheckResult[]; ok: boolean } {
  const results: CheckResult[] = [];
  for (const e of eqs) {
    for (const f of fields) {
      const l = v.cell(e.left, f);
      const parts = e.right.map((k) => v.cell(k, f)).filter((x): x is Term => !!x);
      if (!l) continue;
      const r = compare([l], parts, { rule: hierRule(v), id: `${hierRule(v)}:${v.label}:${where}:${e.left.key}.${f}`, severity: 'E', defaultUnit: doc.defaultUnit });
      if (r) results.push(r);
    }
  }
  return { results, ok: results.every((r) => r.status !== 'fail') };
}

/** Group rows greedily: each header row followed by rows summing to it (on its `total`). */
function greedyGroups(doc: Doc, v: TableView, rows: Row[], f: string): Eq[] | null {
  const eqs: Eq[] = [];
  let i = 0;
  while (i < rows.length) {
    const h = rows[i]!;
    const ht = v.cell(h, f);
    if (!ht) return null;
    const kids: Row[] = [];
    let j = i + 1;
    let matched = false;
    for (; j < rows.length; j++) {
      kids.push(rows[j]!);
      if (holds([ht], kids.map((k) => v.cell(k, f)).filter((x): x is Term => !!x))) {
        matched = true;
        j++;
        break;
      }
    }
    if (!matched) return null;
    eqs.push({ left: h, right: kids });
    i = j;
  }
  return eqs;
}

/**
 * A list under a total row: flat (total = Σ rows), or grouped (total = Σ group rows, each
 * group row = Σ its items). `prefer` picks the structure reported when none holds.
 */
export function listHierarchy(doc: Doc, v: TableView, push: Push, t: Row, rows: Row[], isGroup: (r: Row) => boolean, prefer: 'flat' | 'grouped'): void {
  const fields = numericFields(v);
  const mainField = v.has('total') ? 'total' : fields[0];
  if (!mainField) return;
  const items = rows.filter((r) => r !== t && !/^其中/.test(String(r.name).replace(/\s+/g, '')));
  if (!items.length) return;
  const candidates: { name: string; eqs: Eq[] }[] = [];
  const flat = { name: 'flat', eqs: [{ left: t, right: items }] };
  const groupsIdx = items.map((r, i) => (isGroup(r) ? i : -1)).filter((i) => i >= 0);
  let grouped: { name: string; eqs: Eq[] } | null = null;
  if (groupsIdx.length && groupsIdx[0] === 0) {
    const eqs: Eq[] = [{ left: t, right: groupsIdx.map((i) => items[i]!) }];
    for (let k = 0; k < groupsIdx.length; k++) {
      const a = groupsIdx[k]!;
      const b = groupsIdx[k + 1] ?? items.length;
      const kids = items.slice(a + 1, b);
      if (kids.length) eqs.push({ left: items[a]!, right: kids });
    }
    grouped = { name: 'grouped', eqs };
  }
  // a department row repeating the total, then its units (the department over its own 本级 unit and its other units):
  // 合计 = department = Σ units; a flat sum would count every unit twice
  const first = items[0]!;
  const repeatsTotal = items.length > 2 && fields.every((f) => {
    const a = v.cell(t, f);
    const b = v.cell(first, f);
    return !a || !b || (a.printed === b.printed && a.value.eq(b.value));
  }) && fields.some((f) => v.cell(first, f)?.printed);
  if (repeatsTotal) candidates.push({ name: 'department', eqs: [{ left: t, right: [first] }, { left: first, right: items.slice(1) }] });
  if (prefer === 'grouped' && grouped) candidates.push(grouped, flat);
  else candidates.push(flat, ...(grouped ? [grouped] : []));
  for (const c of candidates) {
    const r = evalEqs(doc, v, c.eqs, fields, c.name);
    if (r.ok) {
      r.results.forEach(push);
      return;
    }
  }
  // a structure only the figures reveal (units the names did not give away)
  const g = greedyGroups(doc, v, items, mainField);
  if (g && g.length >= 1) {
    const eqs: Eq[] = [{ left: t, right: g.map((e) => e.left) }, ...g];
    const r = evalEqs(doc, v, eqs, fields, 'grouped');
    if (r.ok) {
      r.results.forEach(push);
      return;
    }
  }
  evalEqs(doc, v, candidates[0]!.eqs, fields, candidates[0]!.name).results.forEach(push);
}

/** A note under the table saying some items are not published (涉密 / 剔除): its lists need not add up. */
function omissionNote(v: TableView): Row | undefined {
  return v.rows.find((r) => /^[（(]?注/.test(normName(r.name)) && /剔除|不予公开|不公开|未公开|涉密|保密/.test(r.name));
}

/** 合计 = Σ 类 rows, for tables keyed by 功能分类 names without codes (the first occurrence of each 类 name). */
function namedFunctionTotal(doc: Doc, v: TableView, push: Push): boolean {
  const t = totalRow(v);
  const body = v.rows.filter((r) => r !== t && !isTotalName(r.name) && !isMemo(r.name));
  if (!body.some((r) => isFunctionClassName(r.name))) return false;
  if (!t || !body.length || !isFunctionClassName(body[0]!.name)) return true;
  const seen = new Set<string>();
  const classes: Row[] = [];
  for (const r of body) {
    const n = normName(r.name);
    if (isFunctionClassName(r.name) && !seen.has(n)) {
      seen.add(n);
      classes.push(r);
    }
  }
  const H = hierRule(v);
  const spec = (f: string) => ({ rule: H, id: `${H}:${v.label}:${t.key}.${f}=Σ类`, severity: 'E' as const, defaultUnit: doc.defaultUnit });
  for (const f of numericFields(v)) {
    const l = v.cell(t, f);
    const parts = classes.map((k) => v.cell(k, f)).filter((x): x is Term => !!x);
    if (l) push(compare([l], parts, spec(f)));
  }
  return true;
}

export function unitLists(doc: Doc, v: TableView, push: Push, out: CheckResult[]): void {
  if (SUMMARY_TABLES.includes(v.id)) return;
  if (v.rows.some((r) => isHierCode(r.code))) return;
  if (['general_budget_basic', 'final_general_budget_basic'].includes(v.id)) return;
  if (['three_public', 'final_three_public'].includes(v.id) && !isUnitKeyedThreePublic(v)) return;
  if (namedFunctionTotal(doc, v, push)) return;
  const isList = PROJECT_TABLES.includes(v.id) ||
    ['agency_operating', 'income_summary', 'expenditure_summary', 'three_public', 'final_three_public', 'final_income', 'final_expenditure'].includes(v.id);
  if (!isList) return;
  const note = omissionNote(v);
  if (note) {
    out.push(skipped('H', `H:${v.label}:list`, `${v.label}: ${normName(note.name).slice(0, 60)}; its rows need not add up to the total`));
    return;
  }
  // a row printed without a name but keyed as the total (its opening line) is the total
  const body = v.rows.filter((r) => !isTotalName(r.name || r.key) && !isMemo(r.name));
  if (!body.length) return; // only a total printed: no list to add up
  if (body.some((r) => !normName(r.name) && !r.code) || body.some((r) => ordinalRank(r.name) > 0)) {
    out.push(skipped('H', `H:${v.label}:list`, `${v.label}: rows without names or with numbered levels; list sums not checked`));
    return;
  }
  const units = doc.unitNames();
  if (PROJECT_TABLES.includes(v.id)) {
    const t = projectTotalRow(v, units);
    if (!t) return;
    listHierarchy(doc, v, push, t, v.rows, (r) => r !== t && (units.has(normName(r.name)) || normName(r.name) === normName(t.name) || (UNIT_SUFFIX.test(normName(r.name)) && normName(r.name).length <= 20)), 'grouped');
    return;
  }
  const t = totalRow(v);
  if (!t) return;
  const isUnit = (r: Row) => units.has(normName(r.name)) || UNIT_SUFFIX.test(normName(r.name)) || /#\d+$/.test(r.key);
  listHierarchy(doc, v, push, t, v.rows, isUnit, 'flat');
}

/** A 三公 table whose rows are the categories (出国, 接待, 用车 …). */
export function categoryKeyedThreePublic(v: TableView): boolean {
  if (v.id !== 'three_public' && v.id !== 'final_three_public') return false;
  const names = Object.values(THREE_PUBLIC_ROWS);
  return v.rows.filter((r) => names.some((a) => nameIs(r.name, a))).length >= 2;
}

/** A 三公 table with units as rows and the categories as columns. */
export function isUnitKeyedThreePublic(v: TableView): boolean {
  return (v.id === 'three_public' || v.id === 'final_three_public') && !categoryKeyedThreePublic(v) && (v.has('three_public') || v.has('abroad'));
}

// ---- 三公 categories ---------------------------------------------------------------------------

const THREE_PUBLIC_EXTRA = ['会议费', '培训费'];

export function threePublicRows(doc: Doc, v: TableView, push: Push): void {
  if (!categoryKeyedThreePublic(v)) return;
  const rule = TABLE_RULE[v.id]!;
  const find = (k: keyof typeof THREE_PUBLIC_ROWS) => v.rows.find((r) => nameIs(r.name, THREE_PUBLIC_ROWS[k]!) || nameIs(baseKey(r.key), THREE_PUBLIC_ROWS[k]!));
  const t = totalRow(v);
  const abroad = find('abroad');
  const reception = find('reception');
  const vehicle = find('vehicle');
  const purchase = find('vehicle_purchase');
  const operation = find('vehicle_operation');
  for (const f of numericFields(v)) {
    const c = (r: Row | undefined) => (r ? v.cell(r, f) : null);
    const spec = (where: string) => ({ rule, id: `${rule}:${v.label}:${where}.${f}`, severity: 'E' as const, defaultUnit: doc.defaultUnit });
    if (vehicle && (purchase || operation)) {
      const l = c(vehicle);
      const parts = [c(purchase), c(operation)].filter((x): x is Term => !!x);
      if (l && purchase && operation) push(compare([l], parts, spec('公务用车购置及运行费=购置+运行')));
    }
    if (t && (abroad || reception || vehicle)) {
      const l = c(t);
      const vparts = vehicle ? [c(vehicle)] : [c(purchase), c(operation)];
      // 三公、会议费、培训费 tables print 会议费 and 培训费 beside the three categories: the 三公 total
      // (“三公”经费合计, or a plain 合计 over the three) leaves them out; a plain 合计 may also cover all five
      const extras = v.rows.filter((r) => nameIs(r.name, THREE_PUBLIC_EXTRA));
      const known = new Set([t, abroad, reception, vehicle, purchase, operation, ...extras]);
      const stray = v.rows.filter((r) => !known.has(r) && !isMemo(r.name) && Object.values(r.values ?? {}).some((x) => /[1-9]/.test(x)));
      const parts = [c(abroad), ...vparts, c(reception)].filter((x): x is Term => !!x);
      const complete = !!abroad && !!reception && (!!vehicle || (!!purchase && !!operation)) && !stray.length;
      if (l && parts.length && complete) {
        const three = compare([l], parts, spec('合计=出国+用车+接待'));
        const extraTerms = extras.map(c).filter((x): x is Term => !!x);
        const plainTotal = !/三公/.test(normName(t.name));
        if (three && three.status === 'fail' && extraTerms.length && plainTotal) {
          const five = compare([l], [...parts, ...extraTerms], spec('合计=出国+用车+接待+会议+培训'));
          push(five && (five.status === 'pass' || five.status === 'rounding') ? five : three);
        } else push(three);
      }
    }
  }
}

/** D16 / D9 (row): 年初结转和结余 + 本年收入 = 本年支出 + 年末结转和结余, where a table prints all four. */
export function balanceRows(doc: Doc, v: TableView, push: Push): void {
  if (!['final_gov_fund', 'final_state_capital', 'final_fiscal_summary', 'unknown'].includes(v.id)) return;
  const income = ['current_year', 'fiscal_appropriation', 'income'].find((f) => v.has(f));
  const spent = ['total', 'actual'].find((f) => v.has(f));
  if (!income || !spent || !v.has('opening_balance') || !v.has('closing_balance')) return;
  const rule = TABLE_RULE[v.id] ?? 'R';
  const results: CheckResult[] = [];
  for (const r of v.rows) {
    const a = [v.cell(r, 'opening_balance'), v.cell(r, income)].filter((x): x is Term => !!x);
    const b = [v.cell(r, spent), v.cell(r, 'closing_balance')].filter((x): x is Term => !!x);
    const c = compare(a, b, { rule, id: `${rule}:${v.label}:${r.key}.opening+income=spent+closing`, severity: 'E', defaultUnit: doc.defaultUnit });
    if (c) results.push(c);
  }
  pushDoubtful(results, push, `${rule}:${v.label}:opening+income=spent+closing`, rule, `${v.label}: 年初结转和结余 + 本年收入 = 本年支出 + 年末结转和结余`);
}

/** All intra-table rules for one table. */
export function intraTable(doc: Doc, v: TableView, push: Push, out: CheckResult[]): void {
  if (v.empty) return;
  rowRules(doc, v, push, out);
  balanceRows(doc, v, push);
  const coded = codeHierarchy(doc, v, push);
  if (!coded) {
    namedEconomicHierarchy(doc, v, push);
    unitLists(doc, v, push, out);
  }
  threePublicRows(doc, v, push);
}

export { PROJECT_TABLES };
