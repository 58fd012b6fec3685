/** Text normalisation that pdf.js does not do for Chinese documents. */

// CJK Radicals Supplement code points that NFKC leaves alone, and Kangxi radicals whose NFKC
// form is the traditional character where disclosures print the simplified one.
const RADICALS: Record<string, string> = {
  '⺁': '厂', '⺇': '几', '⺈': '刀', '⺊': '卜', '⺌': '小', '⺍': '小', '⺕': '彐', '⺗': '心',
  '⺝': '月', '⺟': '母', '⺠': '民', '⺡': '水', '⺢': '水', '⺣': '火', '⺤': '爪', '⺦': '丬',
  '⺧': '牛', '⺨': '犬', '⺩': '王', '⺪': '疋', '⺫': '目', '⺬': '示', '⺭': '示', '⺮': '竹',
  '⺶': '羊', '⺷': '羊', '⺹': '老', '⺻': '聿', '⺾': '艹', '⻀': '虫', '⻂': '衣', '⻄': '西',
  '⻅': '见', '⻆': '角', '⻇': '角', '⻉': '贝', '⻋': '车', '⻒': '镸', '⻓': '长', '⻔': '门',
  '⻘': '青', '⻙': '韦', '⻚': '页', '⻛': '风', '⻜': '飞', '⻝': '食', '⻢': '马', '⻣': '骨',
  '⻤': '鬼', '⻥': '鱼', '⻦': '鸟', '⻧': '卤', '⻨': '麦', '⻩': '黄', '⻬': '齐', '⻮': '齿',
  '⻰': '龙', '⻳': '龟', '⻆ ': '角', '⻈': '讠', '⻊': '足', '⻗': '雨',
  '⾨': '门', '⾞': '车', '⾦': '金', '⾧': '长', '⾺': '马', '⾴': '页', '⾵': '风', '⾶': '飞',
  '⾒': '见', '⾙': '贝', '⻝ ': '食', '⾔': '言', '⿂': '鱼', '⿃': '鸟', '⿓': '龙', '⿔': '龟',
  '⾢': '邑', '⾣': '酉', '⾿': '髟',
};
const RADICAL_RE = new RegExp(`[${Object.keys(RADICALS).map((k) => k.trim()).join('')}]`, 'g');

const HAN = '\\u3400-\\u9fff\\uf900-\\ufaff';
const HAN_GAP_RE = new RegExp(`([${HAN}（）()、：:，,；;“”"《》])\\s+(?=[${HAN}（）()、：:，,；;“”"《》])`, 'g');

/** NFKC (restores Kangxi radicals, full-width digits and letters), radical look-alikes,
 *  and no whitespace between Han characters (letter-spaced headings). */
export function normalizeText(s: string): string {
  let t = s.replace(RADICAL_RE, (c) => RADICALS[c] ?? c).normalize('NFKC');
  // NFKC turns full-width parentheses into ASCII; the spec's names keep the full-width ones.
  t = t.replace(/\(/g, '（').replace(/\)/g, '）');
  t = t.replace(/[\u00a0\u3000\t]/g, ' ');
  t = t.replace(HAN_GAP_RE, '$1');
  return t;
}

/** Compact form for matching: no whitespace at all. */
export function compact(s: string): string {
  return s.replace(/\s+/g, '');
}
