/** The pipeline: loaded pages → tables → checks → the output document. Pure: no I/O. */
import type { LoadedDocument } from './pdf/types.js';
import type { Document } from './model.js';
import { ExtractError } from './errors.js';

export interface ExtractOptions {
  /** Convert every amount to 元 or 万元 (exactly); default: each table's own unit. */
  unit?: 'yuan' | 'wan';
}

export interface SourceMeta {
  file: string;
  sha256: string;
}

export function extractDocument(doc: LoadedDocument, source: SourceMeta, _opts: ExtractOptions = {}): Document {
  const chars = doc.pages.reduce((n, p) => n + p.runs.reduce((m, r) => m + r.text.length, 0), 0);
  if (chars < 20 * Math.max(1, doc.pages.length) / 4 && chars < 200) {
    throw new ExtractError('no_text_layer', 'has no text layer (scanned images?); OCR it first');
  }
  return {
    schemaVersion: 1,
    source: { file: source.file, sha256: source.sha256, pages: doc.info.pages, producer: doc.info.producer },
    document: { title: doc.info.title, department: null, fiscalYear: null, kind: null },
    tables: [],
    warnings: [],
  };
}
