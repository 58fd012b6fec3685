/** Reading a PDF both ways: as the tool does, and with pdf.js as published where the worker
 *  patches only save time (`asPublished`, the reference). */
import { loadPdf, type LoadOptions } from '../../src/pdf/load.js';
import type { LoadedDocument } from '../../src/pdf/types.js';

export async function readBothWays(pdf: Uint8Array, opts: LoadOptions = {}): Promise<{ fast: LoadedDocument; published: LoadedDocument }> {
  const fast = await loadPdf(pdf.slice(), opts);
  const published = await loadPdf(pdf.slice(), { ...opts, asPublished: true });
  return { fast, published };
}

/** The pages without the document number pdf.js puts in font ids (g_d<doc>_f<n>). */
export const pagesOf = (d: LoadedDocument) => d.pages.map((p) => ({ ...p, runs: p.runs.map((r) => ({ ...r, font: r.font.replace(/^g_d\d+_/, '') })) }));
