/** `budget-extract tables`: one line per table found, and with --explain why headings were or
 *  were not taken, why core tables are absent, and how each column got its field. Pure text. */
import type { Document, Table } from '../model.js';
import type { Explanation } from '../tables/explain.js';
import { tableLabels } from '../quality.js';

const pageSpan = (pages: number[]) => (pages.length ? (pages.length === 1 ? `p${pages[0]}` : `p${pages[0]}-${pages[pages.length - 1]}`) : 'p-');

/** One line per table: number, printed number, id, pages, unit, rows, quality, title (and for a
 *  table of no known id, its heading as printed). */
export function tableLines(doc: Document): string[] {
  const cols = doc.tables.map((t, i) => [
    String(i + 1),
    t.number ?? '-',
    t.id,
    pageSpan(t.pages),
    t.unit ?? '-',
    `${t.rows.length} row${t.rows.length === 1 ? '' : 's'}${t.empty ? ' (empty)' : ''}`,
    t.quality?.status ?? '-',
    t.id === 'unknown' ? `heading: ${t.title}` : t.title,
  ]);
  return alignColumns(cols);
}

/** Space-padded columns (Han characters count double). */
function alignColumns(rows: string[][]): string[] {
  const width = (s: string) => [...s].reduce((w, c) => w + (/[\u2e80-\uffef]/.test(c) ? 2 : 1), 0);
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, width(c))));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - width(c)))).join('  ').trimEnd());
}

export function formatTableList(doc: Document, explain?: Explanation): string {
  const d = doc.document;
  const head = `${doc.source.file}: ${[d.department, d.fiscalYear, d.kind].filter((x) => x !== null).join(' ')}; ${doc.tables.length} table${doc.tables.length === 1 ? '' : 's'}, ${doc.source.pages} pages${doc.source.pagesRead ? ` (read: ${doc.source.pagesRead.length})` : ''}`;
  const out = [head, ...tableLines(doc)];
  if (explain) out.push('', ...explainLines(doc.tables, explain));
  return out.join('\n') + '\n';
}

function explainLines(tables: Table[], e: Explanation): string[] {
  const out = ['Heading candidates (page:line):'];
  for (const c of e.candidates) {
    out.push(`  p${c.page}:${c.line} ${c.taken ? '+' : '-'} ${c.text}${c.matches && !c.taken ? ` [${c.matches}]` : ''} — ${c.reason}`);
  }
  if (!e.candidates.length) out.push('  (none)');
  out.push('', 'Core tables absent:');
  for (const a of e.absent) out.push(`  ${a.id}: ${a.reason}`);
  if (!e.absent.length) out.push('  (none)');
  const labels = tableLabels(tables);
  const used = new Set<number>();
  tables.forEach((t, ti) => {
    const li = e.layouts.findIndex((l, i) => !used.has(i) && l.id === t.id && l.title === t.title);
    if (li < 0) return;
    used.add(li);
    for (const page of e.layouts[li]!.layouts) {
      out.push('', `Columns of ${labels[ti]} (${t.number ?? t.title}), p${page.page}${page.ruled ? ', ruled' : ', from text alignment'}${page.inherited ? ', header of the page before' : ''}:`);
      page.headers.forEach((h, i) => {
        const f = page.fields[i];
        const rule = page.rules[i];
        const what = f ? ` → ${f}${rule ? ` (${rule})` : ''}` : rule ? ` (${rule})` : '';
        out.push(`  ${String(i + 1).padStart(2)} ${page.kinds[i]!.padEnd(6)} ${h || '(no header)'}${what}`);
      });
    }
  });
  return out;
}
