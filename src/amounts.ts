/** Amounts as printed in budget tables → exact fixed-point decimal strings (decimal.js, never floats). */
import DecimalModule from 'decimal.js';
import type { Decimal as DecimalInstance } from 'decimal.js';

/** decimal.js's constructor. Its typings are CommonJS-shaped: under NodeNext the default import is typed as
 *  the module object while at run time (decimal.mjs) it is the class; import `Decimal` from here instead. */
export const Decimal = DecimalModule as unknown as typeof DecimalInstance;
export type Decimal = DecimalInstance;
/** Printed figures can be longer than decimal.js's default 20 significant digits; scaling by
 *  powers of ten must never round, so conversions use a constructor with room to spare. */
const Exact = Decimal.clone({ precision: 1000 });

export type AmountKind = 'number' | 'blank' | 'zero_dash';

export interface ParsedAmount {
  /** The printed number without separators, in the cell's own unit and precision ("1234.50", "0", "-12.00");
   *  "0.00" for a printed dash; null for a blank cell. */
  value: string | null;
  /** `number`: digits were printed; `zero_dash`: a dash printed for zero; `blank`: nothing printed. */
  kind: AmountKind;
}

// Full-width digits and punctuation, and the minus look-alikes pdf.js and Office fonts produce.
const CHAR_MAP: Record<string, string> = {
  '（': '(',
  '）': ')',
  '，': ',',
  '．': '.',
  '－': '-',
  '−': '-', // U+2212 minus sign
  '﹣': '-',
  '＋': '+',
  '﹙': '(',
  '﹚': ')',
};
// Dashes printed in place of a zero amount.
const ZERO_DASH = /^[-‐‑‒–—―─━]{1,3}$/u;
// Spaces pdf.js synthesises between glyphs, no-break and thin spaces, and ideographic space.
const SPACES = /[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+/gu;
// Integer part with optional thousands separators, optional fraction; or a leading-dot fraction; or
// an Excel "Scientific" rendering (1.23457E+11).
const NUMBER = /^(\d+(?:,\d+)*)?(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

const NON_ASCII_RE = /[^\x00-\x7f]/;

function foldChars(text: string): string {
  // Every character folded is outside ASCII (most cells are plain ASCII figures).
  if (!NON_ASCII_RE.test(text)) return text;
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code >= 0xff10 && code <= 0xff19) out += String.fromCharCode(code - 0xff10 + 0x30);
    else if (code === 0xff25 || code === 0xff45) out += 'E';
    else out += CHAR_MAP[ch] ?? ch;
  }
  return out;
}

/**
 * Parse one printed amount cell. Returns null when the text is not an amount at all
 * (words, percentages, amounts with a unit suffix); blank cells give `{value: null, kind: 'blank'}`.
 *
 * Accepted: `1,234.56`, `1234.5`, `-12.00`, `（12.00）` / `(12.00)` (negative), `１２３．４５`,
 * `1，234.56`, `936647884.3`, `0`, `-`/`—`/`–` (zero), `1.5E+06` (exact, fixed-point).
 */
export function parseAmount(text: string | null | undefined): ParsedAmount | null {
  if (text == null) return { value: null, kind: 'blank' };
  const s = foldChars(text).replace(SPACES, '');
  if (s === '') return { value: null, kind: 'blank' };
  if (ZERO_DASH.test(s)) return { value: '0.00', kind: 'zero_dash' };

  let body = s;
  let negative = false;
  if (body.startsWith('(') && body.endsWith(')')) {
    negative = true;
    body = body.slice(1, -1);
  }
  if (body.startsWith('-') || body.startsWith('+')) {
    if (body.startsWith('-')) negative = !negative;
    body = body.slice(1);
  }
  const m = NUMBER.exec(body);
  if (!m || (m[1] === undefined && !m[2])) return null;
  const intPart = (m[1] ?? '0').replace(/,/g, '');
  const frac = m[2] ?? '';
  let value: string;
  if (m[3] !== undefined) {
    // Scientific notation: exact expansion; keep the printed significant decimals when they survive.
    const d = new Decimal(`${intPart}.${frac || '0'}e${m[3]}`);
    value = d.toFixed(Math.max(0, d.decimalPlaces()));
  } else {
    value = (intPart.replace(/^0+(?=\d)/, '') || '0') + (frac ? `.${frac}` : '');
  }
  if (negative && !/^[0.]+$/.test(value)) value = `-${value}`;
  return { value, kind: 'number' };
}

/** Units a table can state; `--unit` normalises to 元 or 万元. */
export type AmountUnit = '元' | '万元' | '千元';
const FACTOR: Record<AmountUnit, number> = { 元: 0, 千元: 3, 万元: 4 };

/** Number of digits after the decimal point as written ("12.50" → 2, "7" → 0). */
export function scaleOf(value: string): number {
  const i = value.indexOf('.');
  return i < 0 ? 0 : value.length - i - 1;
}

/**
 * Convert a decimal string between units exactly (powers of ten: no rounding ever).
 * The result keeps at least the printed scale and only as many more decimals as the exact
 * value needs: 万元→元 `1234.50` → `12345000.00`; 元→万元 `12345.67` → `1.234567`,
 * `100.00` → `0.01`, `0` → `0`.
 */
export function convertUnit(value: string, from: AmountUnit, to: AmountUnit): string {
  if (!/^-?\d+(\.\d+)?$/.test(value)) throw new RangeError(`not a decimal string: ${JSON.stringify(value)}`);
  if (from === to) return value;
  const shift = FACTOR[from] - FACTOR[to];
  const d = new Exact(value).times(new Exact(10).pow(shift));
  const scale = Math.max(scaleOf(value), d.decimalPlaces());
  const out = d.toFixed(scale);
  return /^-0(\.0*)?$/.test(out) ? out.slice(1) : out;
}

/** `--unit yuan|wan` → the target unit. */
export function unitOption(opt: 'yuan' | 'wan'): '元' | '万元' {
  return opt === 'yuan' ? '元' : '万元';
}
