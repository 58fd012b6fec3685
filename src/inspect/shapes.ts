/** What an inspect image draws over a page: plain shapes in PDF points (origin top-left, as the
 *  text runs), drawn by ./svg.ts as SVG and by pdf/render.ts on the rendered page. */

export interface RectShape {
  kind: 'rect';
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  stroke: string;
  fill?: string;
  width: number;
  dash?: boolean;
  /** What it shows (heading, table, column, row, value, legend…): an SVG class, and with
   *  `data` the attributes tests match against the JSON. */
  role: string;
  data?: Record<string, string>;
}

export interface LineShape {
  kind: 'line';
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  stroke: string;
  width: number;
  role: string;
}

export interface TextShape {
  kind: 'text';
  x: number;
  /** Baseline. */
  y: number;
  text: string;
  color: string;
  size: number;
  role: string;
  /** A white box behind the text, so a label reads over the page. */
  halo?: boolean;
  /** `end`: the text ends at x (a label left of what it names). */
  anchor?: 'end';
}

export type Shape = RectShape | LineShape | TextShape;

export interface Overlay {
  page: number;
  width: number;
  height: number;
  shapes: Shape[];
}
