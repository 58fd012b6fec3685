/** Exact decimal helpers for the cross-checks (decimal.js only, never floats). */
import { Decimal } from 'decimal.js';
import type { Unit } from '../model.js';

export { Decimal };

export const ZERO = new Decimal(0);

const NUM = /^-?\d+(\.\d+)?$/;

/** A printed decimal string → Decimal, or null when it is not a plain number. */
const decCache = new Map<string, Decimal | null>();

export function parseDec(s: string | null | undefined): Decimal | null {
  if (s === null || s === undefined) return null;
  const k = String(s);
  const hit = decCache.get(k);
  if (hit !== undefined) return hit;
  const t = k.trim();
  const v = NUM.test(t) ? new Decimal(t) : null;
  if (decCache.size > 100000) decCache.clear();
  decCache.set(k, v);
  return v;
}

/** Number of printed decimals of a decimal string ("12.50" → 2, "12" → 0). */
export function placesOf(s: string): number {
  const i = s.indexOf('.');
  return i < 0 ? 0 : s.length - i - 1;
}

/** Half a unit of the last printed digit for `places` decimals: 0.5 × 10^-places. */
const halves: Decimal[] = [];

export function halfUnit(places: number): Decimal {
  let h = halves[places];
  if (!h) {
    h = new Decimal(5).times(new Decimal(10).pow(-(places + 1)));
    halves[places] = h;
  }
  return h;
}

/** Yuan per unit. */
export const UNIT_FACTOR: Record<Unit, number> = { 元: 1, 千元: 1000, 万元: 10000 };

/** The coarser of two units (万元 > 千元 > 元). */
export function coarser(a: Unit, b: Unit): Unit {
  return UNIT_FACTOR[a] >= UNIT_FACTOR[b] ? a : b;
}

/** Convert an amount exactly from one unit to another. */
export function convert(v: Decimal, from: Unit, to: Unit): Decimal {
  if (from === to) return v;
  return v.times(UNIT_FACTOR[from]).dividedBy(UNIT_FACTOR[to]);
}

/** Fixed-point string for output: at least `minPlaces` decimals, no exponent, trailing zeros beyond that trimmed. */
export function fmt(v: Decimal, minPlaces = 2): string {
  let s = v.toFixed();
  if (s === '-0') s = '0';
  const i = s.indexOf('.');
  const have = i < 0 ? 0 : s.length - i - 1;
  if (have < minPlaces) s = v.toFixed(minPlaces);
  else if (have > minPlaces) s = s.replace(/0+$/, '').replace(/\.$/, '');
  if (/^-0(\.0*)?$/.test(s)) s = s.slice(1);
  return s;
}
