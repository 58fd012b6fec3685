/** Ruling lines read in the text pass (src/pdf/rulings.ts) against pdf.js's operator list, the
 *  reference they replay: the same segments, to the last bit, on hand-made pages that exercise
 *  every rule of the replay and on the bundled disclosures. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPdf } from '../src/pdf/load.js';
import type { LoadedDocument } from '../src/pdf/types.js';
import { buildPdf } from './helpers/pdf.js';

/** A PDF of `pages` (content streams) sharing the resources below; `extra` objects from 100 on. */
function makePdf(pages: Array<{ content: string; annots?: string }>, extra: Record<number, string> = {}): Uint8Array {
  const objs: Record<number, string> = {
    1: '<< /Type /Catalog /Pages 2 0 R >>',
    2: `<< /Type /Pages /Count ${pages.length} /Kids [${pages.map((_, i) => `${10 + 2 * i} 0 R`).join(' ')}] >>`,
    3: '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    4: '<< /Font << /F1 3 0 R >> /XObject << /Fm1 5 0 R /Fm2 6 0 R /Fm3 7 0 R >> /ExtGState << /GS1 8 0 R /GS2 << /CA 0.5 >> >> >>',
    5: stream('/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Matrix [1 0 0 1 0 100]', 'q 1 0 0 1 5 0 cm 60 500 m 400 500 l S'),
    6: stream('/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Matrix [0.5 0 0 0.5 0 0] /Resources 4 0 R', '/Fm1 Do 80 80 400 1 re f /Fm3 Do'),
    // A form drawing itself: refused when opened (nothing of it read), the page goes on.
    7: stream('/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /XObject << /Fm3 7 0 R >> >>', 'q 2 0 0 2 0 0 cm /Fm3 Do 10 10 m 300 10 l S'),
    8: '<< /Type /ExtGState /SMask << /Type /Mask /S /Luminosity /G 9 0 R >> >>',
    9: stream('/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Group << /S /Transparency /CS /DeviceRGB >>', '20 700 m 590 700 l S'),
    ...extra,
  };
  pages.forEach((p, i) => {
    objs[10 + 2 * i] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources 4 0 R /Contents ${11 + 2 * i} 0 R${p.annots ? ` /Annots ${p.annots}` : ''} >>`;
    objs[11 + 2 * i] = stream('', p.content);
  });
  const max = Math.max(...Object.keys(objs).map(Number));
  return buildPdf(Array.from({ length: max }, (_, i) => objs[i + 1]));
}
function stream(dict: string, content: string): string {
  return `<< ${dict} /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`;
}

const rulingsOf = (doc: LoadedDocument) => doc.pages.map((p) => ({ page: p.index, hLines: p.hLines, vLines: p.vLines }));
async function bothRoutes(pdf: Uint8Array) {
  const textPass = await loadPdf(pdf.slice());
  const opList = await loadPdf(pdf.slice(), { rulingsFrom: 'operator-list' });
  return { textPass: rulingsOf(textPass), opList: rulingsOf(opList), doc: textPass };
}

describe('ruling lines from the text pass equal those of the operator list', () => {
  it('q/Q, cm, forms with matrices drawn twice without text, unclosed q in a form, curves, closing paints, a form drawing itself', async () => {
    const pdf = makePdf([
      {
        content: [
          'BT /F1 12 Tf 72 760 Td (Rules) Tj ET',
          'q 1 0 0 1 50 50 cm 0 0 200 0.5 re f Q',
          'q 0.5 0 0 0.5 0 0 cm 100 600 m 500 600 l S Q',
          // The form leaves a q (and its cm) open: pdf.js restores it before the form's end.
          'q q 1 0 0 1 10 0 cm /Fm1 Do 1 0 0 1 0 -50 cm /Fm1 Do Q Q',
          '70 450 m 300 450 l S',
          '100 400 m 120 420 130 430 150 400 c 300 400 l S 100 380 m 150 390 300 380 v 400 380 l S 100 370 m 150 390 300 370 y 400 370 l S',
          '100 300 m 300 300 l 300 302 l 100 302 l h f',
          '50 200 300 0 re S 60 190 0 100 re f',
          '100 100 m 400 100 l s 100 90 m 400 90 l 400 89 l b 100 80 m 400 80 l b*',
          '10 10 m 20 10 l h W n',
          'Q Q Q 1 0 0 1 0 5 cm 100 60 m 400 60 l S',
        ].join('\n'),
      },
      // Forms in forms (Fm2 → Fm1), and a self-drawing form refused; then the page again.
      { content: 'q 1 0 0 1 20 0 cm /Fm2 Do 30 30 m 500 30 l S Q 40 40 m 40 400 l S' },
    ]);
    const { textPass, opList, doc } = await bothRoutes(pdf);
    expect(textPass).toEqual(opList);
    const p1 = doc.pages[0]!;
    // The form's line, drawn twice (the text pass must not skip the second, text-free draw):
    // page y 600 and 550, x from 10 + 5 + 60 to 10 + 5 + 400; in viewport space y = 792 - y.
    expect(p1.hLines).toContainEqual({ x1: 75, y1: 192, x2: 415, y2: 192 });
    expect(p1.hLines).toContainEqual({ x1: 75, y1: 242, x2: 415, y2: 242 });
    // After the form, the page's own transform again (the form's open q closed at its end).
    expect(p1.hLines).toContainEqual({ x1: 70, y1: 342, x2: 300, y2: 342 });
    expect(p1.hLines.length).toBeGreaterThan(10);
    expect(p1.vLines.length).toBeGreaterThan(0);
    expect(doc.pages[1]!.hLines.length).toBeGreaterThan(2);
  });

  it('a page whose ExtGState draws a soft mask, and one with an annotation appearance, read the operator list (they draw there)', async () => {
    const pdf = makePdf(
      [
        { content: 'q /GS2 gs /GS1 gs 50 50 m 300 50 l S Q' },
        { content: '50 60 m 300 60 l S', annots: '[100 0 R]' },
      ],
      {
        100: '<< /Type /Annot /Subtype /Square /Rect [0 0 612 792] /AP << /N 101 0 R >> >>',
        101: stream('/Type /XObject /Subtype /Form /BBox [0 0 612 792]', '30 650 m 580 650 l S'),
      },
    );
    const { textPass, opList } = await bothRoutes(pdf);
    expect(textPass).toEqual(opList);
    // The soft mask's line (y 700) and the annotation's (y 650) are among them.
    expect(textPass[0]!.hLines).toContainEqual({ x1: 20, y1: 92, x2: 590, y2: 92 });
    expect(textPass[1]!.hLines).toContainEqual({ x1: 30, y1: 142, x2: 580, y2: 142 });
  });

  const ROOT = path.resolve(import.meta.dirname, '..');
  const fixtures = ['huairen-gaj-2025.pdf', 'linquan-sfj-2025.pdf', 'yunxi-fy-2025.pdf', 'dev/changle-jyj-2024.pdf'];
  it.each(fixtures)('%s: every page', async (name) => {
    const { textPass, opList } = await bothRoutes(new Uint8Array(fs.readFileSync(path.join(ROOT, 'fixtures', name))));
    expect(textPass).toEqual(opList);
    expect(textPass.reduce((n, p) => n + p.hLines.length + p.vLines.length, 0)).toBeGreaterThan(100);
  }, 120_000);
});
