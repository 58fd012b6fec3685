/**
 * The comparison engine: terms read from table cells (with where they were read), exact sums,
 * rounding tolerance, unit conversion and the CheckResult each comparison produces.
 */
import type { CheckResult, Row, Table, Unit } from '../model.js';
import { Decimal, ZERO, coarser, convert, fmt, halfUnit, parseDec, placesOf } from './decimal.js';
import { baseKey, normName } from './names.js';

export type Severity = 'E' | 'W';
export type Ref = CheckResult['refs']['left'][number];

/** One figure taking part in a comparison. */
export interface Term {
  value: Decimal;
  /** printed decimals (for the tolerance) */
  places: number;
  unit: Unit | null;
  /** false for a blank cell in a column the table has (counted as zero) */
  printed: boolean;
  /** −1 for a subtracted term */
  sign: 1 | -1;
  ref: Ref;
  /** short label for messages, e.g. "income_summary 合计.general_budget" */
  label: string;
  /**
   * How many rounded figures this one stands for (default 1): a 类 or 合计 that its own table prints
   * as exactly the sum of its printed rows was added up from rounded figures, and carries their
   * rounding into a comparison with another table (see roundingWidth in generic.ts).
   */
  width?: number;
}

const FIELD_RE = /^[a-z][a-z0-9_]*$/;

/** A table with the lookups the rules need. */
export class TableView {
  readonly fields: Set<string>;
  readonly unknownNumericFields: string[];
  readonly places: number;
  constructor(
    readonly t: Table,
    readonly index: number,
    readonly label: string,
  ) {
    const fields = new Set<string>();
    for (const c of t.columns ?? []) if (c.field && FIELD_RE.test(c.field) && !/^col\d+$/.test(c.field)) fields.add(c.field);
    const unknown = new Set<string>();
    const placeCount = new Map<number, number>();
    for (const r of t.rows) {
      const vals = r.values ?? {};
      for (const f in vals) {
        const v = vals[f]!;
        if (!fields.has(f)) {
          if (/^col\d+$/.test(f) || !FIELD_RE.test(f)) {
            if (parseDec(v)) unknown.add(f);
            continue;
          }
          fields.add(f);
        }
        const d = parseDec(v);
        if (d && !d.isZero()) {
          const p = placesOf(v);
          placeCount.set(p, (placeCount.get(p) ?? 0) + 1);
        }
      }
    }
    // a 行次/栏次 column (line numbers 1, 2, 3 …) is not an amount
    for (const f of [...unknown]) {
      const header = (t.columns ?? []).find((c) => c.field === f)?.header ?? '';
      const vals = t.rows.map((r) => r.values?.[f]).filter((x): x is string => x !== undefined);
      const lineNos = vals.every((x) => /^\d{1,3}$/.test(x)) && vals.every((x, i) => i === 0 || Number(x) > Number(vals[i - 1]));
      if (/行次|栏次|序号|行号/.test(header) || lineNos) unknown.delete(f);
    }
    this.fields = fields;
    this.unknownNumericFields = [...unknown];
    let best = 2;
    let bestN = -1;
    for (const [p, n] of placeCount) if (n > bestN) [best, bestN] = [p, n];
    this.places = best;
  }
  get id(): string {
    return this.t.id;
  }
  get unit(): Unit | null {
    return this.t.unit;
  }
  get rows(): Row[] {
    return this.t.rows;
  }
  get empty(): boolean {
    return this.t.empty || this.t.rows.length === 0;
  }
  has(field: string): boolean {
    return this.fields.has(field);
  }
  page(row?: Row | null): number | null {
    if (row && typeof row.page === 'number') return row.page;
    return this.t.pages?.[0] ?? null;
  }
  /** Each row's label for messages (every term of a row repeats it; the checks change no row). */
  private readonly rowLabels = new Map<Row, string>();
  private labelOf(row: Row): string {
    let l = this.rowLabels.get(row);
    if (l === undefined) {
      l = rowLabel(row);
      this.rowLabels.set(row, l);
    }
    return l;
  }
  /** The term for a cell; a blank cell of an existing column is zero; null when the column is unknown. */
  cell(row: Row, field: string, sign: 1 | -1 = 1): Term | null {
    const raw = row.values?.[field];
    const v = parseDec(raw);
    if (v === null) {
      if (!this.has(field)) return null;
      return {
        value: ZERO, places: this.places, unit: this.unit, printed: false, sign,
        ref: { table: this.label, row: row.key, field, page: this.page(row) },
        label: `${this.label} ${this.labelOf(row)}.${field}`,
      };
    }
    const zeroNoDecimals = v.isZero() && placesOf(raw as string) === 0;
    return {
      value: v, places: zeroNoDecimals ? this.places : placesOf(raw as string), unit: this.unit, printed: true, sign,
      ref: { table: this.label, row: row.key, field, page: this.page(row) },
      label: `${this.label} ${this.labelOf(row)}.${field}`,
    };
  }
  /** A zero standing for an empty table (注：本表无数据). */
  emptyTerm(field: string, sign: 1 | -1 = 1): Term {
    return {
      value: ZERO, places: this.places, unit: this.unit, printed: true, sign,
      ref: { table: this.label, row: null, field, page: this.page() },
      label: `${this.label} (empty table)`,
    };
  }
  /** Rows whose printed/normalised name or key matches one of the aliases. */
  find(pred: (r: Row, i: number) => boolean): Row | undefined {
    return this.rows.find(pred);
  }
}

export function rowLabel(r: Row): string {
  const n = normName(r.name) || baseKey(r.key);
  if (r.code && r.code !== n) return `${r.code} ${n}`;
  return n;
}

/** A standalone term (narrative figure, performance target). */
export function looseTerm(
  raw: string | number | null | undefined,
  unit: Unit | null,
  ref: Ref,
  label: string,
  sign: 1 | -1 = 1,
): Term | null {
  const s = raw === null || raw === undefined ? null : String(raw).replace(/,/g, '').trim();
  const v = parseDec(s);
  if (!v || s === null) return null;
  return { value: v, places: placesOf(s), unit, printed: true, sign, ref, label };
}

export interface CompareSpec {
  rule: string;
  id: string;
  severity: Severity;
  /** eq: left = right; ge: left ≥ right */
  op?: 'eq' | 'ge';
  what?: string;
  /** document default unit, for tables without one */
  defaultUnit?: Unit | null;
  /** extra absolute tolerance (in the comparison unit) */
  extraTolerance?: Decimal;
  /** the unit to compare in (a narrative figure is compared in the unit its sentence states);
   *  default the coarsest unit of the terms */
  unit?: Unit | null;
}

/** Quick probe without a report: does Σleft = Σright hold within rounding (same-unit terms)? */
export function holds(left: Term[], right: Term[]): boolean {
  let d = ZERO;
  let tol = ZERO;
  let minH: Decimal | null = null;
  for (const t of left) {
    d = t.sign === 1 ? d.plus(t.value) : d.minus(t.value);
    const h = halfUnit(t.places);
    tol = tol.plus(h);
    if (!minH || h.lt(minH)) minH = h;
  }
  for (const t of right) {
    d = t.sign === 1 ? d.minus(t.value) : d.plus(t.value);
    const h = halfUnit(t.places);
    tol = tol.plus(h);
    if (!minH || h.lt(minH)) minH = h;
  }
  if (minH && left.length + right.length > 1) tol = tol.minus(minH);
  return d.abs().lte(tol);
}

/** Σ of the terms in `unit`, each term's own unit being `unitOf(t)`. */
function sumIn(terms: Term[], unit: Unit | null, unitOf: (t: Term) => Unit | null): Decimal {
  let s = ZERO;
  for (const t of terms) {
    const tu = unitOf(t);
    const v = unit && tu && tu !== unit ? convert(t.value, tu, unit) : t.value;
    s = t.sign === 1 ? s.plus(v) : s.minus(v);
  }
  return s;
}

/**
 * Compare Σleft with Σright. Returns null when nothing on either side was printed (a blank
 * identity says nothing). Tolerance: the half units of every term but the finest one,
 * i.e. n × half a unit for a total against n printed terms.
 */
export function compare(left: Term[], right: Term[], spec: CompareSpec): CheckResult | null {
  const all = [...left, ...right];
  if (!all.length || !all.some((t) => t.printed)) return null;
  const units = all.map((t) => t.unit ?? spec.defaultUnit ?? null).filter((u): u is Unit => !!u);
  let unit: Unit | null = units[0] ?? null;
  for (const u of units) unit = unit ? coarser(unit, u) : u;
  const coarsest = unit;
  if (spec.unit && units.includes(spec.unit)) unit = spec.unit;
  const unitOf = (t: Term) => t.unit ?? spec.defaultUnit ?? unit;
  const L = sumIn(left, unit, unitOf);
  const R = sumIn(right, unit, unitOf);
  const halves = all.map((t) => {
    const h = halfUnit(t.places);
    const u = unitOf(t);
    return unit && u && u !== unit ? convert(h, u, unit) : h;
  });
  // n × half a unit for n rounded figures: every term's half units (a summed figure's parts each
  // count) less one for the figure that is the exact rounding of the whole
  let tol = halves.reduce((a, h, i) => {
    const width = all[i]!.width ?? 1;
    return a.plus(width === 1 ? h : h.times(width));
  }, ZERO);
  if (halves.length > 1) tol = tol.minus(Decimal.min(...halves));
  if (spec.extraTolerance) tol = tol.plus(spec.extraTolerance);
  // figures converted between units (元 → 万元) may be truncated rather than rounded in the coarser
  // table or the narrative: allow one unit of its last digit (±0.01 万元)
  const mixed = unit && all.some((t) => unitOf(t) !== unit);
  if (mixed && unit && coarsest) {
    const coarse = all.filter((t) => unitOf(t) === coarsest);
    if (coarse.length) tol = tol.plus(convert(halfUnit(Math.max(...coarse.map((t) => t.places))), coarsest, unit));
  }
  const diff = L.minus(R);
  const places = Math.max(2, ...all.map((t) => t.places));
  let status: CheckResult['status'];
  const op = spec.op ?? 'eq';
  if (op === 'eq') {
    status = diff.isZero() ? 'pass' : diff.abs().lte(tol) ? 'rounding' : spec.severity === 'E' ? 'fail' : 'warning';
  } else {
    status = diff.gte(0) ? 'pass' : diff.abs().lte(tol) ? 'rounding' : spec.severity === 'E' ? 'fail' : 'warning';
  }
  // one side entirely blank against a figure on the other: a lost column is likelier than a wrong document
  let blankNote = '';
  if (status === 'fail' && (!left.some((t) => t.printed) || !right.some((t) => t.printed))) {
    status = 'warning';
    blankNote = ' (nothing printed on one side)';
  }
  const rel = op === 'eq' ? (status === 'pass' ? '=' : status === 'rounding' ? '≈' : '≠') : status === 'pass' ? '≥' : status === 'rounding' ? '≈' : '<';
  // every figure with its unit, and its value in the comparison unit when that differs
  const u = (x: Unit | null) => (x ? ` ${x}` : '');
  const figure = (t: Term) => {
    const tu = unitOf(t);
    const conv = unit && tu && tu !== unit ? ` (= ${fmt(convert(t.value, tu, unit), places)}${u(unit)})` : '';
    return `${t.label} ${fmt(t.value, t.places)}${u(tu)}${conv}${pg(t)}`;
  };
  const describe = (ts: Term[], total: Decimal) => {
    if (ts.length === 1 && ts[0]!.sign === 1) return figure(ts[0]!);
    if (status === 'pass' && ts.length > 3) return `Σ ${ts.length} terms (${ts[0]!.label} …) = ${fmt(total, places)}${u(unit)}`;
    let parts = ts.map((t, i) => `${i === 0 ? (t.sign === -1 ? '−' : '') : t.sign === -1 ? ' − ' : ' + '}${figure(t)}`);
    if (parts.length > 8) {
      const pages = [...new Set(ts.map((t) => t.ref.page).filter((p): p is number => typeof p === 'number'))];
      parts = [...parts.slice(0, 4), ` + … ${parts.length - 5} more${pages.length ? ` (p${pages.join(',')})` : ''} …`, parts[parts.length - 1]!];
    }
    return `${parts.join('')} = ${fmt(total, places)}${u(unit)}`;
  };
  const message =
    `${spec.what ? spec.what + ': ' : ''}${describe(left, L)} ${rel} ${describe(right, R)}` +
    (status === 'pass' ? '' : `, diff ${fmt(diff.abs(), places)}${u(unit)} ${status === 'rounding' ? '≤' : '>'} tol ${fmt(tol, places)}${u(unit)}`) +
    (status !== 'pass' ? all.filter((t) => (t.width ?? 1) > 1).map((t) => ` (${t.label} is the sum of ${t.width} printed figures)`).join('') : '') +
    blankNote;
  return {
    id: spec.id,
    rule: spec.rule,
    status,
    message,
    left: fmt(L, places),
    right: fmt(R, places),
    difference: fmt(diff, places),
    tolerance: fmt(tol, places),
    unit,
    refs: { left: left.map((t) => t.ref), right: right.map((t) => t.ref) },
  };
}

function pg(t: Term): string {
  return t.ref.page !== null && t.ref.page !== undefined ? ` (p${t.ref.page})` : '';
}

export function skipped(rule: string, id: string, message: string): CheckResult {
  return {
    id, rule, status: 'skipped', message, left: null, right: null, difference: null, tolerance: null, unit: null,
    refs: { left: [], right: [] },
  };
}

/** A result that is not a numeric comparison (e.g. a structural warning). */
export function note(rule: string, id: string, status: CheckResult['status'], message: string, refs?: CheckResult['refs']): CheckResult {
  return {
    id, rule, status, message, left: null, right: null, difference: null, tolerance: null, unit: null,
    refs: refs ?? { left: [], right: [] },
  };
}
