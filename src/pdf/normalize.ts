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
  '戶': '户', '門': '门', '車': '车', '長': '长', '馬': '马', '頁': '页', '風': '风', '飛': '飞', '見': '见',
  '貝': '贝', '魚': '鱼', '鳥': '鸟', '龍': '龙', '龜': '龟', '麥': '麦', '黃': '黄', '齊': '齐', '齒': '齿', '韋': '韦', '⾢': '邑', '⾣': '酉', '⾿': '髟',
};
const RADICAL_RE = new RegExp(`[${Object.keys(RADICALS).map((k) => k.trim()).join('')}]`, 'g');

const HAN = '\\u3400-\\u9fff\\uf900-\\ufaff';
const HAN_GAP_RE = new RegExp(`([${HAN}（）()、：:，,；;“”"《》])\\s+(?=[${HAN}（）()、：:，,；;“”"《》])`, 'g');

/** Any character a step of normalizeText rewrites or reads: a radical, a Kangxi or
 *  compatibility ideograph (its NFKC form may be a radical), a full-width digit, letter or
 *  number sign, a space of any kind (the Han gaps are whitespace). Without one, every step
 *  returns the text unchanged. */
const NEEDS_WORK_RE = new RegExp(`[${Object.keys(RADICALS).map((k) => k.trim()).join('')}\\u2f00-\\u2fdf\\uf900-\\ufaff０-９Ａ-Ｚａ-ｚ．－＋％\\s\\u00a0\\u3000\\t\\u200b]`);

/** Kangxi and supplement radicals → ideographs, full-width digits/letters → ASCII,
 *  and no whitespace between Han characters (letter-spaced headings). */
export function normalizeText(s: string): string {
  // Most runs hold none of the characters below (every item of every page passes here).
  if (!NEEDS_WORK_RE.test(s)) return s;
  let t = s.replace(RADICAL_RE, (c) => RADICALS[c] ?? c);
  // Kangxi radicals (U+2F00–2FDF) → ideographs via NFKC; not the whole string, since NFKC
  // would also turn ① into 1 and full-width punctuation into ASCII.
  t = t.replace(/[\u2f00-\u2fdf\uf900-\ufaff]/g, (c) => c.normalize('NFKC')).replace(RADICAL_RE, (c) => RADICALS[c] ?? c);
  // Full-width digits, Latin letters and number punctuation → ASCII.
  t = t.replace(/[０-９Ａ-Ｚａ-ｚ．－＋％]/g, (c) => c.normalize('NFKC'));
  t = t.replace(/[\u00a0\u3000\t\u200b]/g, ' ');
  t = t.replace(HAN_GAP_RE, '$1');
  return t;
}

/** Compact form for matching: no whitespace at all. */
export function compact(s: string): string {
  return s.replace(/\s+/g, '');
}
