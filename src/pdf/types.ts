/** Plain data produced by the pdf/ stage. Coordinates are in viewport space at scale 1:
 *  origin top-left of the page as displayed (rotation applied), y grows downwards. */

export interface TextRun {
  /** Normalised text (NFKC, radicals mapped, spaces between Han removed). */
  text: string;
  /** Left edge. */
  x: number;
  /** Baseline. */
  y: number;
  /** Advance width along the text direction. */
  w: number;
  /** Font size (glyph height). */
  size: number;
  font: string;
}

/** An axis-aligned ruling segment: horizontal when y1 === y2, vertical when x1 === x2. */
export interface Segment {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface PageData {
  /** 1-based physical page index. */
  index: number;
  width: number;
  height: number;
  rotate: number;
  runs: TextRun[];
  /** Horizontal ruling segments (y1 === y2, x1 < x2). */
  hLines: Segment[];
  /** Vertical ruling segments (x1 === x2, y1 < y2). */
  vLines: Segment[];
}

export interface PdfInfo {
  pages: number;
  producer: string | null;
  title: string | null;
}

export interface LoadedDocument {
  info: PdfInfo;
  pages: PageData[];
  /** Messages pdf.js reported that affect the result (missing CMaps, unreadable fonts). */
  warnings: string[];
  /** Embedded TrueType fonts repaired, and left unrepaired because the text cannot depend on
   *  it (src/pdf/load.ts, the Font patch): for tests and benchmarks, never output. */
  trueTypeFonts?: { repaired: number; unrepaired: number };
}
