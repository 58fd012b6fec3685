/** An inspect overlay as SVG, in PDF points (the viewBox is the page), over the rendered page
 *  (a PNG embedded) or, without one, over the page's text runs. Each shape keeps its role and
 *  data as attributes (class, data-table, data-row, data-field, data-status). */
import type { TextRun } from '../pdf/types.js';
import type { Overlay, Shape } from './shapes.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const n = (v: number) => String(Math.round(v * 100) / 100);

export interface SvgBackground {
  /** The page rendered (PNG bytes), stretched over the page. */
  png?: Uint8Array;
  /** Else the text runs, drawn as text. */
  runs?: readonly TextRun[];
}

export function overlaySvg(o: Overlay, bg: SvgBackground, dpi: number): string {
  const scale = dpi / 72;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(o.width * scale)}" height="${Math.ceil(o.height * scale)}" viewBox="0 0 ${n(o.width)} ${n(o.height)}" data-page="${o.page}">`,
    `<rect class="page" x="0" y="0" width="${n(o.width)}" height="${n(o.height)}" fill="#ffffff"/>`,
  ];
  if (bg.png) out.push(`<image class="page-image" x="0" y="0" width="${n(o.width)}" height="${n(o.height)}" href="data:image/png;base64,${Buffer.from(bg.png).toString('base64')}"/>`);
  else for (const r of bg.runs ?? []) out.push(`<text class="run" x="${n(r.x)}" y="${n(r.y)}" font-size="${n(r.size)}" textLength="${n(r.w)}" fill="#616161">${esc(r.text)}</text>`);
  for (const s of o.shapes) out.push(shapeSvg(s));
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function shapeSvg(s: Shape): string {
  if (s.kind === 'line') return `<line class="${s.role}" x1="${n(s.x0)}" y1="${n(s.y0)}" x2="${n(s.x1)}" y2="${n(s.y1)}" stroke="${s.stroke}" stroke-width="${s.width}"/>`;
  if (s.kind === 'text') {
    const halo = s.halo ? ' stroke="#ffffff" stroke-width="1.5" paint-order="stroke"' : '';
    const anchor = s.anchor ? ` text-anchor="${s.anchor}"` : '';
    return `<text class="${s.role}" x="${n(s.x)}" y="${n(s.y)}" font-size="${s.size}" font-family="sans-serif" fill="${s.color}"${anchor}${halo}>${esc(s.text)}</text>`;
  }
  const data = Object.entries(s.data ?? {}).map(([k, v]) => ` data-${k}="${esc(v)}"`).join('');
  const dash = s.dash ? ' stroke-dasharray="3 2"' : '';
  return `<rect class="${s.role}" x="${n(s.x0)}" y="${n(s.y0)}" width="${n(s.x1 - s.x0)}" height="${n(s.y1 - s.y0)}" fill="${s.fill ?? 'none'}" stroke="${s.stroke}" stroke-width="${s.width}"${dash}${data}/>`;
}
