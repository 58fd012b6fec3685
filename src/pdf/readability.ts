/** Fonts that are subset-embedded without a ToUnicode map decode to private-use code points
 *  or U+FFFD: such a page's text looks like text but its figures cannot be trusted. */
import type { PageData } from './types.js';

const BAD = /[\ue000-\uf8ff\ufffd\u0000]/gu;

/** Pages where more than a fifth of the characters are undecodable. */
export function unreadablePages(pages: readonly PageData[]): number[] {
  const out: number[] = [];
  for (const p of pages) {
    let all = 0;
    let bad = 0;
    for (const r of p.runs) {
      all += r.text.length;
      bad += r.text.match(BAD)?.length ?? 0;
    }
    if (all >= 20 && bad / all > 0.2) out.push(p.index);
  }
  return out;
}
