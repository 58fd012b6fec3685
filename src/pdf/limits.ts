/**
 * Caps on what no real disclosure needs. A hostile PDF can otherwise make pdf.js work without
 * end or memory bound: forms that draw each other (4 × 4 × … draws), a stream that inflates
 * to gigabytes, millions of operators on a page, forms nested thousands deep (pdf.js recurses
 * until the stack overflows). Each cap, when hit, skips what lies beyond it and says so in a
 * warning; the file is still read.
 */
export interface PdfLimits {
  /** Pages read; the rest are skipped with a warning. */
  maxPages: number;
  /** Bytes one stream may decompress to; a bigger one is skipped with a warning. */
  maxStreamBytes: number;
  /** Operators read per page and pass (text, rulings), forms' operators included. */
  maxOperators: number;
  /** Form XObjects nested in one another. */
  maxFormDepth: number;
  /** Form XObjects drawn per page and pass (a form drawing others draws them each time). */
  maxFormDraws: number;
  /** Graphics states saved in one another (`q`): pdf.js's cost per operator grows with it. */
  maxSaveDepth: number;
}

export const DEFAULT_LIMITS: PdfLimits = {
  maxPages: 2000,
  maxStreamBytes: 128 * 1024 * 1024,
  maxOperators: 500_000,
  maxFormDepth: 32,
  maxFormDraws: 1000,
  maxSaveDepth: 500,
};

