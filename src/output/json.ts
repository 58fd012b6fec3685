/** JSON serialisation of the output document. */
import type { Document } from '../model.js';

export interface SerializeOptions {
  /** Indent with two spaces (default) or print one line. */
  pretty?: boolean;
}

export function toJson(doc: Document, opts: SerializeOptions = {}): string {
  return JSON.stringify(doc, null, opts.pretty === false ? undefined : 2) + '\n';
}
