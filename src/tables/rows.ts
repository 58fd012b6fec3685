/** Row identity: codes, names, keys and levels as tables.md's row conventions say. */

const ORDINAL_RE = /^(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十\d]+[)）][、.]?|\d+[.．、](?!\d)|[①-⑳]|[⑴-⒇]|[⒈-⒛])\s*/;
const QIZHONG_RE = /^其中[:：]?\s*/;
const SUMMARY_RE = /^(合计|总计|小计|本年收入合计|本年支出合计|收入总计|支出总计|部门合计)$/;

/** The row key of a name: whitespace, ordinal prefixes and a leading 其中： removed. */
export function nameKey(name: string): string {
  // A lone digit glued before a Chinese ordinal (`1（一）…`) is a stray glyph, not a prefix.
  let k = name.replace(/\s+/g, '').replace(/^\d(?=[（(][一二三四五六七八九十]+[)）])/, '');
  for (let i = 0; i < 3; i++) {
    const before = k;
    k = k.replace(QIZHONG_RE, '').replace(ORDINAL_RE, '');
    if (k === before) break;
  }
  // `总计：` (a label ending in a colon before its figures).
  k = k.replace(/[:：]$/, '');
  return k || name.replace(/\s+/g, '');
}

export function isSummaryName(name: string): boolean {
  return SUMMARY_RE.test(nameKey(name));
}

/** A 功能分类 (3/5/7 digits) or 经济分类 (3/5 digits) code; level from its length. */
export function codeLevel(code: string | null): number | null {
  if (!code) return null;
  if (code.length === 3) return 1;
  if (code.length === 5) return 2;
  if (code.length === 7) return 3;
  return null;
}

/** Split a leading code printed in the same cell as the name: `2040201 行政运行`, `[301]工资`. */
export function splitLeadingCode(label: string): { code: string | null; name: string } {
  const m = /^[[【]?(\d{3}(?:\d{2}){0,2})[\]】]?\s*[-—_:：、.]?\s*(?=\D)(.*)$/.exec(label.trim());
  if (m && m[2] && /[\u4e00-\u9fa5]/.test(m[2])) return { code: m[1]!, name: m[2].trim() };
  return { code: null, name: label.trim() };
}

/** Join codes printed over 类/款/项 columns, carrying the 类/款 of earlier rows. */
export class CodeJoiner {
  private lastParts: string[] = [];

  join(parts: string[]): string | null {
    const cleaned = parts.map((p) => p.replace(/\s+/g, ''));
    if (cleaned.every((p) => !p)) return null;
    if (cleaned.length === 1) {
      const c = cleaned[0]!;
      if (/^\d{3,7}$/.test(c)) {
        this.lastParts = [c.slice(0, 3), c.slice(3, 5), c.slice(5, 7)];
        return c;
      }
      // A 款 printed as its 2 digits under its 类 (`10` under `201` → `20110`).
      if (/^\d{2}$/.test(c) && this.lastParts[0]) {
        this.lastParts = [this.lastParts[0], c];
        return this.lastParts.join('');
      }
      return null;
    }
    const out: string[] = [];
    let started = false;
    for (let i = 0; i < cleaned.length; i++) {
      const p = cleaned[i]!;
      if (p) {
        started = true;
        out.push(p);
      } else if (!started) {
        // A 款/项 row that prints only its own part: carry the parents.
        const later = cleaned.slice(i + 1).some((q) => q);
        if (later && this.lastParts[i]) out.push(this.lastParts[i]!);
        else if (later) return null;
      } else break;
    }
    // A full code printed in the first column (2040201) stands alone.
    if (out.length === 1 && /^\d{5,7}$/.test(out[0]!)) {
      this.lastParts = [out[0]!.slice(0, 3), out[0]!.slice(3, 5), out[0]!.slice(5, 7)];
      return out[0]!;
    }
    if (!out.every((p) => /^\d+$/.test(p))) return null;
    // 款/项 printed without their leading zero (204 | 2 | 1).
    const padded = out.map((p, i) => (i > 0 && p.length === 1 ? `0${p}` : p));
    this.lastParts = padded.slice();
    return padded.join('');
  }
}

/** Give repeated keys #2, #3… within one table and side, top to bottom. */
export class KeyCounter {
  private seen = new Map<string, number>();

  next(key: string, side: string | null): string {
    const k = `${side ?? ''}|${key}`;
    const n = (this.seen.get(k) ?? 0) + 1;
    this.seen.set(k, n);
    return n === 1 ? key : `${key}#${n}`;
  }
}
