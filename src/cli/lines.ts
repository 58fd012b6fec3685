/** What every command shares and can load cheaply (the supervising process loads no more):
 *  the program name, the output choices and the one-line error format. */
import { escapeControls } from './names.js';

export const PROG = 'budget-extract';

/** `csv` and `ndjson`: the tables in the long format, one record per cell (src/output/csv.ts). */
export const OUTPUT_FORMATS = ['json', 'xml', 'csv', 'ndjson'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
/** Parts `--only` can restrict the output to. */
export const ONLY_PARTS = ['tables', 'targets', 'narrative'] as const;
export type OnlyPart = (typeof ONLY_PARTS)[number];

/** The one stderr line: `budget-extract: FILE: MESSAGE [code]`. Control characters (a newline
 *  or escape codes in a file name or a PDF's text) are escaped: it is always one line. */
export function errorLine(file: string | null, code: string, message: string): string {
  return escapeControls(`${PROG}: ${file === null ? '' : `${file}: `}${message} [${code}]`);
}
