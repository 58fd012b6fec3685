/** What the reader found on one page, as shapes over it (`budget-extract inspect`): heading
 *  candidates (taken, and not with the reason), each table's region, the ruling lines, the
 *  column bands labelled with their field ids (colN in red), the row bands with their keys, and
 *  each figure boxed in the colour of the worst status of the checks it takes part in. A legend.
 *  Pure: from the document read with boxes and its explanation (tables/explain.ts). */
import type { CheckResult, Document, Row } from '../model.js';
import type { PageData } from '../pdf/types.js';
import { tableLabels } from '../quality.js';
import type { Explanation } from '../tables/explain.js';
import type { Overlay, Shape } from './shapes.js';

type Status = CheckResult['status'] | 'unchecked';

/** Worst first: a figure takes the colour of the worst check it is a term of. */
const SEVERITY: Status[] = ['fail', 'warning', 'skipped', 'rounding', 'pass', 'unchecked'];

export const COLORS = {
  fail: '#d50000',
  warning: '#ef6c00',
  skipped: '#8e24aa',
  rounding: '#c0a000',
  pass: '#2e7d32',
  unchecked: '#1565c0',
  table: '#0d47a1',
  column: '#00897b',
  unmapped: '#d50000',
  row: '#78909c',
  heading: '#2e7d32',
  rejected: '#9e9e9e',
  rule: '#00bcd4',
} as const;

const refKey = (table: string, row: string | null, field: string | null) => `${table}\u0000${row ?? ''}\u0000${field ?? ''}`;

/** The worst status of the checks each figure (table label, row key, field) takes part in. */
export function figureStatuses(checks: readonly CheckResult[]): Map<string, Status> {
  const out = new Map<string, Status>();
  for (const c of checks) {
    for (const r of [...c.refs.left, ...c.refs.right]) {
      const k = refKey(r.table, r.row, r.field);
      const had = out.get(k);
      if (!had || SEVERITY.indexOf(c.status) < SEVERITY.indexOf(had)) out.set(k, c.status);
    }
  }
  return out;
}

/** A label the raster can print (no CJK font is assumed): the key when it is ASCII, else the
 *  row's code, else its position. */
function rowLabel(r: Row, i: number): string {
  if (/^[\x20-\x7e]+$/.test(r.key)) return r.key;
  return r.code ?? `row ${i + 1}`;
}

export function pageOverlay(page: PageData, doc: Document, explain: Explanation): Overlay {
  const shapes: Shape[] = [];
  const p = page.index;
  // Ruling lines first: everything else is drawn over them.
  for (const s of [...page.hLines, ...page.vLines]) shapes.push({ kind: 'line', x0: s.x1, y0: s.y1, x1: s.x2, y1: s.y2, stroke: COLORS.rule, width: 0.6, role: 'rule' });
  for (const c of explain.candidates.filter((x) => x.page === p)) {
    const color = c.taken ? COLORS.heading : COLORS.rejected;
    shapes.push({ kind: 'rect', ...c.box, stroke: color, width: 1, dash: !c.taken, role: c.taken ? 'heading' : 'heading-rejected', data: { reason: c.reason } });
    shapes.push({ kind: 'text', x: c.box.x0, y: c.box.y0 - 1.5, text: c.reason, color, size: 6, role: 'label', halo: true });
  }
  const statuses = figureStatuses(doc.checks ?? []);
  const labels = tableLabels(doc.tables);
  const used = new Set<number>();
  doc.tables.forEach((t, ti) => {
    const label = labels[ti]!;
    const li = explain.layouts.findIndex((l, i) => !used.has(i) && l.id === t.id && l.title === t.title);
    if (li >= 0) used.add(li);
    const region = t.boxes?.find((b) => b.page === p);
    if (!region) return;
    const layout = li >= 0 ? explain.layouts[li]!.layouts.find((l) => l.page === p) : undefined;
    shapes.push({ kind: 'rect', x0: region.x0, y0: region.y0, x1: region.x1, y1: region.y1, stroke: COLORS.table, width: 1.5, role: 'table', data: { table: label } });
    shapes.push({ kind: 'text', x: region.x0, y: region.y0 - 2, text: `${label}${t.number ? ` ${/^[\x20-\x7e]+$/.test(t.number) ? t.number : ''}` : ''}`.trim(), color: COLORS.table, size: 8, role: 'label', halo: true });
    layout?.cols.forEach((c, ci) => {
      const field = layout.fields[ci];
      const unmapped = (!!field && /^col\d+$/.test(field)) || (layout.kinds[ci] === 'amount' && !field);
      const color = unmapped ? COLORS.unmapped : COLORS.column;
      shapes.push({ kind: 'rect', x0: c.x0, y0: region.y0, x1: c.x1, y1: region.y1, stroke: color, width: 0.5, dash: true, role: 'column', data: { table: label, field: field ?? layout.kinds[ci]! } });
      shapes.push({ kind: 'text', x: c.x0 + 1, y: region.y0 + 6, text: field ?? layout.kinds[ci]!, color, size: 5.5, role: 'label', halo: true });
    });
    t.rows.forEach((r, ri) => {
      if (r.box?.page === p) {
        shapes.push({ kind: 'rect', x0: r.box.x0, y0: r.box.y0, x1: r.box.x1, y1: r.box.y1, stroke: COLORS.row, width: 0.4, role: 'row', data: { table: label, row: r.key } });
        // Left of the table, where it hides nothing the reader read.
        shapes.push({ kind: 'text', x: r.box.x0 - 1.5, y: (r.box.y0 + r.box.y1) / 2 + 1.5, text: rowLabel(r, ri), color: COLORS.row, size: 4.5, role: 'label', halo: true, anchor: 'end' });
      }
      for (const [field, b] of Object.entries(r.valueBoxes ?? {})) {
        if (b.page !== p) continue;
        const status = statuses.get(refKey(label, r.key, field)) ?? 'unchecked';
        shapes.push({ kind: 'rect', x0: b.x0, y0: b.y0, x1: b.x1, y1: b.y1, stroke: COLORS[status], width: 1, role: 'value', data: { table: label, row: r.key, field, status } });
      }
    });
  });
  shapes.push(...legend(page.width));
  return { page: p, width: page.width, height: page.height, shapes };
}

const LEGEND: Array<[string, string, boolean?]> = [
  ['figure: a check failed', COLORS.fail],
  ['figure: check warning', COLORS.warning],
  ['figure: check skipped', COLORS.skipped],
  ['figure: rounding', COLORS.rounding],
  ['figure: checks pass', COLORS.pass],
  ['figure: in no check', COLORS.unchecked],
  ['table region', COLORS.table],
  ['column band + field', COLORS.column, true],
  ['unmapped column (colN)', COLORS.unmapped, true],
  ['row band + key', COLORS.row],
  ['heading taken', COLORS.heading],
  ['heading not taken', COLORS.rejected, true],
  ['ruling line', COLORS.rule],
];

/** The legend, in the top right corner. */
function legend(pageWidth: number): Shape[] {
  const w = 92;
  const x = pageWidth - w - 4;
  const y = 4;
  const out: Shape[] = [{ kind: 'rect', x0: x, y0: y, x1: x + w, y1: y + 6 + LEGEND.length * 7, stroke: '#424242', fill: 'rgba(255,255,255,0.92)', width: 0.5, role: 'legend' }];
  LEGEND.forEach(([text, color, dash], i) => {
    const ly = y + 4 + i * 7;
    out.push({ kind: 'rect', x0: x + 3, y0: ly, x1: x + 11, y1: ly + 5, stroke: color, width: 1, ...(dash ? { dash } : {}), role: 'legend' });
    out.push({ kind: 'text', x: x + 14, y: ly + 4.5, text, color: '#212121', size: 5, role: 'legend' });
  });
  return out;
}
