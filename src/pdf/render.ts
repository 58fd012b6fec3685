/** A page rendered to PNG by pdf.js on @napi-rs/canvas, with an overlay of shapes drawn over it
 *  (`budget-extract inspect`). Returns null when the canvas cannot be loaded: the caller falls
 *  back to an SVG of the text runs. */
import { createRequire } from 'node:module';
import type { Overlay, Shape } from '../inspect/shapes.js';
import { pdfjsLib, renderOptions } from './load.js';

const require = createRequire(import.meta.url);

interface Ctx2D {
  save(): void;
  restore(): void;
  beginPath(): void;
  rect(x: number, y: number, w: number, h: number): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  stroke(): void;
  fill(): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  fillText(t: string, x: number, y: number): void;
  measureText(t: string): { width: number };
  setLineDash(d: number[]): void;
  setTransform(a: number, b: number, c: number, d: number, e: number, f: number): void;
  strokeStyle: string;
  fillStyle: string;
  lineWidth: number;
  font: string;
}
interface CanvasLib {
  createCanvas(w: number, h: number): { getContext(k: '2d'): Ctx2D; encode(f: 'png'): Promise<Buffer> };
}

let canvasLib: CanvasLib | null | undefined;

/** @napi-rs/canvas, or null where its native binary is missing. */
export function loadCanvas(): CanvasLib | null {
  if (canvasLib === undefined) {
    try {
      canvasLib = require('@napi-rs/canvas') as CanvasLib;
    } catch {
      canvasLib = null;
    }
  }
  return canvasLib;
}

export interface RenderedPage {
  page: number;
  png: Buffer;
  width: number;
  height: number;
  /** Time to render and draw it. */
  ms: number;
}

/** Render each page of `overlays` at `dpi` with its overlay drawn over it. */
export async function renderPages(data: Uint8Array, overlays: Overlay[], dpi: number, password?: string): Promise<RenderedPage[] | null> {
  const canvas = loadCanvas();
  if (!canvas) return null;
  const lib = await pdfjsLib();
  const task = lib.getDocument({ ...renderOptions(), data: data.slice(), ...(password ? { password } : {}) } as Parameters<typeof lib.getDocument>[0]);
  const doc = await task.promise;
  try {
    const out: RenderedPage[] = [];
    for (const o of overlays) {
      const t0 = performance.now();
      const page = await doc.getPage(o.page);
      const scale = dpi / 72;
      const viewport = page.getViewport({ scale });
      const width = Math.ceil(viewport.width);
      const height = Math.ceil(viewport.height);
      const c = canvas.createCanvas(width, height);
      const ctx = c.getContext('2d');
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, width, height);
      await page.render({ canvas: c, canvasContext: ctx, viewport } as unknown as Parameters<typeof page.render>[0]).promise;
      ctx.setTransform(scale, 0, 0, scale, 0, 0);
      for (const s of o.shapes) draw(ctx, s);
      out.push({ page: o.page, png: await c.encode('png'), width, height, ms: performance.now() - t0 });
      page.cleanup();
    }
    return out;
  } finally {
    await doc.destroy().catch(() => undefined);
  }
}

function draw(ctx: Ctx2D, s: Shape): void {
  ctx.save();
  if (s.kind === 'rect') {
    ctx.beginPath();
    ctx.rect(s.x0, s.y0, s.x1 - s.x0, s.y1 - s.y0);
    if (s.fill) {
      ctx.fillStyle = s.fill;
      ctx.fill();
    }
    ctx.setLineDash(s.dash ? [3, 2] : []);
    ctx.strokeStyle = s.stroke;
    ctx.lineWidth = s.width;
    ctx.stroke();
  } else if (s.kind === 'line') {
    ctx.beginPath();
    ctx.moveTo(s.x0, s.y0);
    ctx.lineTo(s.x1, s.y1);
    ctx.strokeStyle = s.stroke;
    ctx.lineWidth = s.width;
    ctx.stroke();
  } else {
    ctx.font = `${s.size}px sans-serif`;
    const w = ctx.measureText(s.text).width;
    const x = s.anchor === 'end' ? s.x - w : s.x;
    if (s.halo) {
      ctx.fillStyle = 'rgba(255,255,255,0.85)';
      ctx.fillRect(x - 0.5, s.y - s.size, w + 1, s.size * 1.25);
    }
    ctx.fillStyle = s.color;
    ctx.fillText(s.text, x, s.y);
  }
  ctx.restore();
}
