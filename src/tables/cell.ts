/** A numeric cell's text → the printed figure as a plain decimal string (no separators),
 *  or null for a blank or non-numeric cell. No arithmetic: the figure is kept as printed. */
export function cellAmount(text: string): string | null {
  let t = text.replace(/\s+/g, '').replace(/[，,]/g, '');
  if (!t) return null;
  if (/^[-－—–―]+$/.test(t)) return '0.00';
  let neg = false;
  const paren = /^[（(](.*)[)）]$/.exec(t);
  if (paren) {
    neg = true;
    t = paren[1]!;
  }
  if (/^[-−–]/.test(t)) {
    neg = !neg;
    t = t.slice(1);
  }
  if (!/^\d+(\.\d+)?$/.test(t) && !/^\.\d+$/.test(t)) return null;
  if (t.startsWith('.')) t = `0${t}`;
  t = t.replace(/^0+(?=\d)/, '');
  return neg && /[1-9]/.test(t) ? `-${t}` : t;
}
