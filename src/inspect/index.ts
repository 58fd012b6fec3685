/** `budget-extract inspect`: pages as images of what the reader found on them. The overlay is
 *  ./overlay.ts's; the page is rendered by pdf/render.ts (PNG) or stands as its text runs in an
 *  SVG when the canvas cannot be loaded. */
import type { Document } from '../model.js';
import type { LoadedDocument } from '../pdf/types.js';
import { renderPages } from '../pdf/render.js';
import { explainTables } from '../tables/explain.js';
import { pageOverlay } from './overlay.js';
import { overlaySvg } from './svg.js';

export type ImageFormat = 'png' | 'svg';

export interface PageImage {
  page: number;
  format: ImageFormat;
  bytes: Uint8Array;
  /** In pixels. */
  width: number;
  height: number;
  /** Time to render and draw it. */
  ms: number;
}

export interface InspectResult {
  images: PageImage[];
  /** PNG was asked for but the canvas could not be loaded: SVGs of the text runs instead. */
  fellBack: boolean;
}

/** One image per page of `pages` (each a page of `loaded`), the document read with --boxes. */
export async function inspectPages(data: Uint8Array, doc: Document, loaded: LoadedDocument, pages: readonly number[], opts: { format: ImageFormat; dpi: number; password?: string }): Promise<InspectResult> {
  const explain = explainTables(loaded.pages, doc.tables, doc.document.kind);
  const overlays = pages.map((p) => pageOverlay(loaded.pages.find((x) => x.index === p)!, doc, explain));
  const rendered = await renderPages(data, overlays, opts.dpi, opts.password);
  const scale = opts.dpi / 72;
  const images = overlays.map((o, i): PageImage => {
    const page = rendered?.[i];
    if (page && opts.format === 'png') return { page: o.page, format: 'png', bytes: page.png, width: page.width, height: page.height, ms: page.ms };
    const t0 = performance.now();
    const bg = page ? { png: page.png } : { runs: loaded.pages.find((x) => x.index === o.page)!.runs };
    const svg = overlaySvg(o, bg, opts.dpi);
    return { page: o.page, format: 'svg', bytes: Buffer.from(svg), width: Math.ceil(o.width * scale), height: Math.ceil(o.height * scale), ms: (page?.ms ?? 0) + performance.now() - t0 };
  });
  return { images, fellBack: rendered === null && opts.format === 'png' };
}
