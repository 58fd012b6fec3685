/** Ruling lines (table borders) from a page's graphics operators. Coordinates in viewport space,
 *  as in types.ts. The reader takes the operators in the order, and with the values (Float32
 *  paths and form matrices), of pdf.js's operator list; the replay rebuilds that list's part
 *  the reader needs from the operators pdf.js's text pass reads, so a page's content stream is
 *  parsed once (see load.ts). */
import type { Segment } from './types.js';

export type Matrix = [number, number, number, number, number, number];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

export function mul(m1: ArrayLike<number>, m2: ArrayLike<number>): Matrix {
  return [
    m1[0]! * m2[0]! + m1[2]! * m2[1]!,
    m1[1]! * m2[0]! + m1[3]! * m2[1]!,
    m1[0]! * m2[2]! + m1[2]! * m2[3]!,
    m1[1]! * m2[2]! + m1[3]! * m2[3]!,
    m1[0]! * m2[4]! + m1[2]! * m2[5]! + m1[4]!,
    m1[1]! * m2[4]! + m1[3]! * m2[5]! + m1[5]!,
  ];
}

/** pdf.js's OPS codes the rulings need (pinned 5.4.624; read from the library at load). */
export interface RulingOps {
  save: number;
  restore: number;
  transform: number;
  moveTo: number;
  lineTo: number;
  curveTo: number;
  curveTo2: number;
  curveTo3: number;
  closePath: number;
  rectangle: number;
  stroke: number;
  closeStroke: number;
  fill: number;
  eoFill: number;
  fillStroke: number;
  eoFillStroke: number;
  closeFillStroke: number;
  closeEOFillStroke: number;
  endPath: number;
  setGState: number;
  constructPath: number;
  paintFormXObjectBegin: number;
  paintFormXObjectEnd: number;
}

const THIN = 2.5;

/** Collects ruling segments from transforms, form matrices and painted paths. */
export class RulingReader {
  readonly hLines: Segment[] = [];
  readonly vLines: Segment[] = [];
  private ctm: Matrix = IDENTITY;
  private readonly stack: Matrix[] = [];

  constructor(
    private readonly ops: RulingOps,
    private readonly vt: Matrix,
    private readonly pw: number,
    private readonly ph: number,
  ) {}

  save(): void {
    this.stack.push(this.ctm);
  }
  restore(): void {
    this.ctm = this.stack.pop() ?? IDENTITY;
  }
  transform(m: ArrayLike<number>): void {
    this.ctm = mul(this.ctm, m);
  }
  formBegin(m: ArrayLike<number> | null): void {
    this.stack.push(this.ctm);
    if (m) this.ctm = mul(this.ctm, m);
  }
  /** A path painted with `paintOp`; `data` in pdf.js's DrawOPS encoding (null: no path). */
  paint(paintOp: number, data: ArrayLike<number> | null | undefined): void {
    if (paintOp === this.ops.endPath) return; // clipping path only
    if (data) walkPath(data, this.addLine, this.addRect);
  }

  /** Reads a whole operator list (fnArray / argsArray, as page.getOperatorList gives it). */
  readOperatorList(fnArray: ArrayLike<number>, argsArray: ArrayLike<unknown>): void {
    const O = this.ops;
    for (let i = 0; i < fnArray.length; i++) {
      const fn = fnArray[i];
      const args = argsArray[i] as unknown[];
      if (fn === O.save) this.save();
      else if (fn === O.restore) this.restore();
      else if (fn === O.transform) this.transform(args as number[]);
      else if (fn === O.paintFormXObjectBegin) this.formBegin((args?.[0] as ArrayLike<number> | null) ?? null);
      else if (fn === O.paintFormXObjectEnd) this.restore();
      else if (fn === O.constructPath) this.paint(args[0] as number, (args[1] as Array<ArrayLike<number> | null>)?.[0]);
    }
  }

  /** A point of the path in viewport space (the CTM, then the viewport transform), into
   *  this.px/this.py: paths have many points, and a pair array for each is garbage. */
  private px = 0;
  private py = 0;
  private toViewport(x: number, y: number): void {
    const m = this.ctm;
    const v = this.vt;
    const ux = m[0] * x + m[2] * y + m[4];
    const uy = m[1] * x + m[3] * y + m[5];
    this.px = v[0] * ux + v[2] * uy + v[4];
    this.py = v[1] * ux + v[3] * uy + v[5];
  }

  private readonly addRect = (x0: number, y0: number, x1: number, y1: number): void => {
    this.toViewport(x0, y0);
    const ax = this.px, ay = this.py;
    this.toViewport(x1, y1);
    const bx = this.px, by = this.py;
    const l = Math.min(ax, bx), r = Math.max(ax, bx), t = Math.min(ay, by), b = Math.max(ay, by);
    const w = r - l, h = b - t;
    if (w <= THIN && h <= THIN) return;
    // A page-sized background or frame says nothing about columns.
    if (w > 0.9 * this.pw && h > 0.9 * this.ph) return;
    if (h <= THIN) this.hLines.push({ x1: l, y1: (t + b) / 2, x2: r, y2: (t + b) / 2 });
    else if (w <= THIN) this.vLines.push({ x1: (l + r) / 2, y1: t, x2: (l + r) / 2, y2: b });
    else {
      this.hLines.push({ x1: l, y1: t, x2: r, y2: t }, { x1: l, y1: b, x2: r, y2: b });
      this.vLines.push({ x1: l, y1: t, x2: l, y2: b }, { x1: r, y1: t, x2: r, y2: b });
    }
  };

  private readonly addLine = (x0: number, y0: number, x1: number, y1: number): void => {
    this.toViewport(x0, y0);
    const ax = this.px, ay = this.py;
    this.toViewport(x1, y1);
    const bx = this.px, by = this.py;
    if (Math.abs(ay - by) <= 0.5 && Math.abs(ax - bx) > THIN) {
      this.hLines.push({ x1: Math.min(ax, bx), y1: (ay + by) / 2, x2: Math.max(ax, bx), y2: (ay + by) / 2 });
    } else if (Math.abs(ax - bx) <= 0.5 && Math.abs(ay - by) > THIN) {
      this.vLines.push({ x1: (ax + bx) / 2, y1: Math.min(ay, by), x2: (ax + bx) / 2, y2: Math.max(ay, by) });
    }
  };
}

/** DrawOPS codes (not exported by pdf.mjs). */
const DRAW = { moveTo: 0, lineTo: 1, curveTo: 2, quadraticCurveTo: 3, closePath: 4 } as const;

function walkPath(
  d: ArrayLike<number>,
  addLine: (x0: number, y0: number, x1: number, y1: number) => void,
  addRect: (x0: number, y0: number, x1: number, y1: number) => void,
): void {
  let i = 0;
  let cx = 0, cy = 0, sx = 0, sy = 0;
  const poly: number[] = [];
  const flushPoly = () => {
    // A closed 4-corner axis-aligned polygon is a rectangle (thin ones are rules).
    if (poly.length === 8 || poly.length === 10) {
      const [x0, y0, x1, y1, x2, y2, x3, y3] = poly as [number, number, number, number, number, number, number, number];
      if (atMostTwo(x0, x1, x2, x3) && atMostTwo(y0, y1, y2, y3)) {
        addRect(Math.min(x0, x1, x2, x3), Math.min(y0, y1, y2, y3), Math.max(x0, x1, x2, x3), Math.max(y0, y1, y2, y3));
        poly.length = 0;
        return;
      }
    }
    for (let k = 0; k + 3 < poly.length; k += 2) addLine(poly[k]!, poly[k + 1]!, poly[k + 2]!, poly[k + 3]!);
    poly.length = 0;
  };
  while (i < d.length) {
    const op = d[i++];
    if (op === DRAW.moveTo) {
      flushPoly();
      cx = sx = d[i++]!;
      cy = sy = d[i++]!;
      poly.push(cx, cy);
    } else if (op === DRAW.lineTo) {
      cx = d[i++]!;
      cy = d[i++]!;
      poly.push(cx, cy);
    } else if (op === DRAW.curveTo || op === DRAW.quadraticCurveTo) {
      // A curve ends a straight run; only its end point (the last pair of its operands) counts.
      flushPoly();
      i += op === DRAW.curveTo ? 6 : 4;
      cx = d[i - 2]!;
      cy = d[i - 1]!;
      poly.push(cx, cy);
    } else if (op === DRAW.closePath) {
      if (poly.length >= 2 && (cx !== sx || cy !== sy)) poly.push(sx, sy);
      flushPoly();
      cx = sx;
      cy = sy;
      poly.push(cx, cy);
    } else break;
  }
  flushPoly();
}

/** Whether four coordinates take at most two values at a tenth of a point (a rectangle's
 *  corners share two xs and two ys). */
function atMostTwo(a: number, b: number, c: number, d: number): boolean {
  const ra = Math.round(a * 10), rb = Math.round(b * 10), rc = Math.round(c * 10), rd = Math.round(d * 10);
  const other = !same(ra, rb) ? rb : !same(ra, rc) ? rc : rd;
  return (same(rb, ra) || same(rb, other)) && (same(rc, ra) || same(rc, other)) && (same(rd, ra) || same(rd, other));
}

/** Equal as a Set counts values (NaN is one value). */
function same(p: number, q: number): boolean {
  return p === q || (p !== p && q !== q);
}

/** One content stream being read (the page's, or a form's inside it). */
interface StreamLevel {
  /** The path under construction (pdf.js's EvalState.pathBuffer: a form starts a new one, q/Q
   *  share it). */
  path: number[];
  /** Graphics states saved and not restored, as pdf.js's operator list counts them (it closes
   *  them with restores at the stream's end). */
  depth: number;
}

/**
 * Feeds a RulingReader what page.getOperatorList() would, from the operators the text pass
 * (getTextContent) reads: pdf.js's operator list for a page (an OPLIST intent, so no queue
 * optimisation) holds q, Q and cm as read; each painted path as constructPath with its
 * construction operators in a Float32Array (EvaluatorPartialEvaluator.buildPath); each form as
 * paintFormXObjectBegin (its matrix as a Float32Array) … End, with the form's unclosed q's
 * restored before the End, and no End (and one more unclosed save in the parent) when the form
 * fails to open. What it cannot rebuild — a soft mask's content, drawn by an ExtGState — makes
 * the page `inexact`, and the caller reads that page's operator list instead.
 */
export class OperatorReplay {
  inexact: string | null = null;
  private readonly levels: StreamLevel[] = [{ path: [], depth: 0 }];
  private cx = 0;
  private cy = 0;

  /** 1 at the code of each operator `op` reads: the text pass sends every operator of the page
   *  (text, colour…), and most are none of them. */
  private readonly handled: Uint8Array;

  constructor(
    private readonly ops: RulingOps,
    readonly reader: RulingReader,
  ) {
    const O = ops;
    const codes = [
      O.save, O.restore, O.transform, O.rectangle, O.moveTo, O.lineTo, O.curveTo, O.curveTo2, O.curveTo3, O.closePath,
      O.closeStroke, O.closeFillStroke, O.closeEOFillStroke, O.stroke, O.fill, O.eoFill, O.fillStroke, O.eoFillStroke, O.endPath,
      O.setGState,
    ].filter((c) => Number.isInteger(c) && c >= 0);
    this.handled = new Uint8Array(Math.max(0, ...codes) + 1);
    for (const c of codes) this.handled[c] = 1;
  }

  private get level(): StreamLevel {
    return this.levels[this.levels.length - 1]!;
  }

  /** One operator as the text pass's preprocessor gives it (`args` is reused: read it now). */
  readonly op = (fn: number, args: unknown[] | null, resources: unknown): void => {
    if (this.handled[fn] !== 1) return; // none of the cases below
    const O = this.ops;
    const a = args as number[];
    switch (fn) {
      case O.save:
        this.level.depth++;
        this.reader.save();
        return;
      case O.restore:
        if (this.level.depth > 0) this.level.depth--;
        this.reader.restore();
        return;
      case O.transform:
        this.reader.transform(a);
        return;
      case O.rectangle: {
        const x = (this.cx = a[0]!);
        const y = (this.cy = a[1]!);
        const width = a[2]!;
        const height = a[3]!;
        const xw = x + width;
        const yh = y + height;
        const p = this.level.path;
        if (width === 0 || height === 0) p.push(DRAW.moveTo, x, y, DRAW.lineTo, xw, yh, DRAW.closePath);
        else p.push(DRAW.moveTo, x, y, DRAW.lineTo, xw, y, DRAW.lineTo, xw, yh, DRAW.lineTo, x, yh, DRAW.closePath);
        return;
      }
      case O.moveTo:
        this.level.path.push(DRAW.moveTo, (this.cx = a[0]!), (this.cy = a[1]!));
        return;
      case O.lineTo:
        this.level.path.push(DRAW.lineTo, (this.cx = a[0]!), (this.cy = a[1]!));
        return;
      case O.curveTo:
        this.level.path.push(DRAW.curveTo, a[0]!, a[1]!, a[2]!, a[3]!, (this.cx = a[4]!), (this.cy = a[5]!));
        return;
      case O.curveTo2: {
        const [sx, sy] = [this.cx, this.cy];
        this.level.path.push(DRAW.curveTo, sx, sy, a[0]!, a[1]!, (this.cx = a[2]!), (this.cy = a[3]!));
        return;
      }
      case O.curveTo3:
        this.level.path.push(DRAW.curveTo, a[0]!, a[1]!, a[2]!, a[3]!, (this.cx = a[2]!), (this.cy = a[3]!));
        return;
      case O.closePath:
        this.level.path.push(DRAW.closePath);
        return;
      case O.closeStroke:
      case O.closeFillStroke:
      case O.closeEOFillStroke:
        this.level.path.push(DRAW.closePath);
        this.paint(fn);
        return;
      case O.stroke:
      case O.fill:
      case O.eoFill:
      case O.fillStroke:
      case O.eoFillStroke:
      case O.endPath:
        this.paint(fn);
        return;
      case O.setGState:
        if (!this.inexact && drawsSoftMask(args?.[0], resources)) this.inexact = 'a soft mask is drawn';
        return;
    }
  };

  private paint(fn: number): void {
    const p = this.level.path;
    if (p.length === 0) return this.reader.paint(fn, null);
    // The values of pdf.js's Float32Array path, in place (the reader keeps none of them).
    for (let k = 0; k < p.length; k++) p[k] = Math.fround(p[k]!);
    this.reader.paint(fn, p);
    p.length = 0;
  }

  /** A form about to be read, with its /Matrix (null: none). */
  readonly formBegin = (matrix: ArrayLike<number> | null): void => {
    this.reader.formBegin(matrix && new Float32Array(matrix));
    this.levels.push({ path: [], depth: 0 });
  };
  /** The form read to its end (or to an error it recovered from). */
  readonly formEnd = (): void => {
    const form = this.levels.pop()!;
    for (let i = 0; i < form.depth; i++) this.reader.restore();
    this.reader.restore(); // paintFormXObjectEnd
  };
  /** The form refused before any of it was read (nested too deep, drawing itself). */
  readonly formFail = (): void => {
    this.levels.pop();
    this.level.depth++;
  };
}

/** Whether the ExtGState named `name` in `resources` sets a soft mask group (/SMask << /G … >>). */
function drawsSoftMask(name: unknown, resources: unknown): boolean {
  type DictLike = { get(key: string): unknown };
  const isDict = (v: unknown): v is DictLike => typeof v === 'object' && v !== null && typeof (v as DictLike).get === 'function';
  const key = (name as { name?: unknown } | null)?.name;
  if (typeof key !== 'string' || !isDict(resources)) return false;
  try {
    const ext = resources.get('ExtGState');
    const gs = isDict(ext) ? ext.get(key) : null;
    return isDict(gs) && isDict(gs.get('SMask'));
  } catch {
    return true; // unreadable: let the operator list decide
  }
}
