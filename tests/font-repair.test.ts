/** Embedded TrueType fonts left unrepaired (src/pdf/load.ts, the Font patch): pdf.js rebuilds
 *  every embedded TrueType font so that a browser could load it; the text pass skips that where
 *  the repair cannot change the text. Each case here is read both ways (`asPublished`, the
 *  reference) and must give the same runs, to the bit; the counts say which way each font went. */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LoadedDocument } from '../src/pdf/types.js';
import { pagesOf, readBothWays } from './helpers/both-ways.js';
import { buildPdf, type PdfBody } from './helpers/pdf.js';

const require = createRequire(import.meta.url);
const TTF = fs.readFileSync(path.join(path.dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts', 'LiberationSans-Regular.ttf'));

interface FontCase {
  /** The font dictionary's entries (no /Type /Font), with `FD` for the descriptor's reference. */
  dict: string;
  /** Descriptor flags (32 non-symbolic, 4 symbolic). */
  flags: number;
  /** The font program, as embedded (FontFile2). */
  program: Buffer;
  /** What the page shows with it (operands of Tj). */
  show: string;
  /** A CID font: the dictionary is a Type0 with this descendant. */
  descendant?: string;
}

/** A one-page PDF showing a line in each font. */
function makePdf(fonts: FontCase[]): Uint8Array {
  const objs: Array<{ num: number; body: Array<string | Buffer> }> = [];
  let next = 10;
  const add = (body: Array<string | Buffer>) => {
    const num = next++;
    objs.push({ num, body });
    return num;
  };
  const fontRefs: string[] = [];
  const shows: string[] = [];
  fonts.forEach((f, i) => {
    const file = add([`<< /Length ${f.program.length} /Length1 ${f.program.length} >>\nstream\n`, f.program, '\nendstream']);
    const fd = add([`<< /Type /FontDescriptor /FontName /F${i} /Flags ${f.flags} /FontBBox [-203 -303 1050 910] /ItalicAngle 0 /Ascent 905 /Descent -212 /CapHeight 716 /StemV 80 /FontFile2 ${file} 0 R >>`]);
    let font: number;
    if (f.descendant) {
      const cmap = toUnicodeCMap();
      const tu = add([`<< /Length ${cmap.length} >>\nstream\n${cmap}\nendstream`]);
      const desc = add([`<< /Type /Font ${f.descendant.replace('FD', `${fd} 0 R`)} >>`]);
      font = add([`<< /Type /Font ${f.dict.replace('DESC', `${desc} 0 R`).replace('TU', `${tu} 0 R`)} >>`]);
    } else {
      font = add([`<< /Type /Font ${f.dict.replace('FD', `${fd} 0 R`)} >>`]);
    }
    fontRefs.push(`/F${i} ${font} 0 R`);
    shows.push(`BT /F${i} 12 Tf 72 ${700 - 30 * i} Td ${f.show} Tj ET`);
  });
  const content = shows.join('\n');
  const contents = add([`<< /Length ${content.length} >>\nstream\n${content}\nendstream`]);
  objs.push({ num: 1, body: ['<< /Type /Catalog /Pages 2 0 R >>'] });
  objs.push({ num: 2, body: ['<< /Type /Pages /Count 1 /Kids [3 0 R] >>'] });
  objs.push({ num: 3, body: [`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << ${fontRefs.join(' ')} >> >> /Contents ${contents} 0 R >>`] });
  const bodies: PdfBody[] = [];
  for (const o of objs) bodies[o.num - 1] = o.body;
  return buildPdf(Array.from({ length: next - 1 }, (_, i) => bodies[i]));
}

/** CIDs 0x21–0x7e stand for the ASCII characters of the same code. */
function toUnicodeCMap(): string {
  return [
    '/CIDInit /ProcSet findresource begin 12 dict begin begincmap',
    '/CMapName /T def /CMapType 2 def',
    '1 begincodespacerange <0000> <FFFF> endcodespacerange',
    '1 beginbfrange <0021> <007E> <0021> endbfrange',
    'endcmap CMapName currentdict /CMap defineresource pop end end',
  ].join('\n');
}

/** `text` as Identity-H codes (two bytes a character). */
const cids = (text: string) => '<' + [...text].map((c) => c.charCodeAt(0).toString(16).padStart(4, '0')).join('') + '>';

const cidFont = (baseFont: string, program = TTF): FontCase => ({
  dict: `/Subtype /Type0 /BaseFont /${baseFont} /Encoding /Identity-H /DescendantFonts [DESC] /ToUnicode TU`,
  descendant: `/Subtype /CIDFontType2 /BaseFont /${baseFont} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor FD /DW 600`,
  flags: 32,
  program,
  show: cids('Sum 123.45'),
});
const simpleFont = (entries: string, flags: number): FontCase => ({
  dict: `/Subtype /TrueType /BaseFont /ABCDEF+LiberationSans ${entries} /FirstChar 32 /LastChar 126 /Widths [${Array(95).fill(556).join(' ')}] /FontDescriptor FD`,
  flags,
  program: TTF,
  show: '(Total 6,789.01)',
});
/** A TrueType header over one table that is not a font's: repairing it fails. */
const BROKEN_TTF = Buffer.concat([Buffer.from([0, 1, 0, 0, 0, 1, 0, 16, 0, 0, 0, 0]), Buffer.from('abcd'), Buffer.alloc(12), Buffer.alloc(64, 7)]);

const runsOf = (d: LoadedDocument) => pagesOf(d).map((p) => p.runs);

describe('embedded TrueType fonts: the text is the same with and without the repair', () => {
  it('a CID font with its ToUnicode, and a simple WinAnsi font, are left unrepaired', async () => {
    const { fast, published } = await readBothWays(makePdf([cidFont('ABCDEF+LiberationSans'), simpleFont('/Encoding /WinAnsiEncoding', 32)]));
    expect(runsOf(fast)).toEqual(runsOf(published));
    expect(runsOf(fast)[0]!.map((r) => r.text)).toEqual(['Sum', '123.45', 'Total', '6,789.01']);
    expect(fast.trueTypeFonts).toEqual({ repaired: 0, unrepaired: 2 });
    expect(published.trueTypeFonts).toEqual({ repaired: 2, unrepaired: 0 });
  });

  it('a symbolic simple font without /Encoding or ToUnicode is repaired (its Unicode may come from the font)', async () => {
    const { fast, published } = await readBothWays(makePdf([simpleFont('', 4)]));
    expect(runsOf(fast)).toEqual(runsOf(published));
    expect(fast.trueTypeFonts).toEqual({ repaired: 1, unrepaired: 0 });
  });

  it('a CID font with a standard font name is repaired (a failed repair would rebuild its Unicode map)', async () => {
    const { fast } = await readBothWays(makePdf([cidFont('Arial')]));
    expect(fast.trueTypeFonts).toEqual({ repaired: 1, unrepaired: 0 });
  });

  it('a font program that cannot be repaired: the same text either way', async () => {
    const { fast, published } = await readBothWays(makePdf([cidFont('ABCDEF+Broken', BROKEN_TTF)]));
    expect(runsOf(fast)).toEqual(runsOf(published));
    expect(runsOf(fast)[0]!.map((r) => r.text)).toEqual(['Sum', '123.45']);
    expect(fast.trueTypeFonts).toEqual({ repaired: 0, unrepaired: 1 });
  });

  it('the bundled disclosures with TrueType fonts', async () => {
    for (const name of ['dongyang-nyj-2025.pdf', 'qingyuan-mzj-2025.pdf']) {
      const { fast, published } = await readBothWays(new Uint8Array(fs.readFileSync(path.join('fixtures', 'dev', name))));
      expect(pagesOf(fast)).toEqual(pagesOf(published));
      expect(fast.trueTypeFonts!.unrepaired).toBeGreaterThan(0);
    }
  });

  const realDir = path.join('..', 'shared', 'corpus', 'real');
  const real = fs.existsSync(realDir) ? fs.readdirSync(realDir).filter((f) => f.endsWith('.pdf')) : [];
  it.skipIf(!real.length)(`the real disclosures, first 4 pages (${real.length ? realDir : 'skipped: ../shared/corpus/real is absent'})`, async () => {
    let unrepaired = 0;
    for (const name of real) {
      let both;
      try {
        both = await readBothWays(new Uint8Array(fs.readFileSync(path.join(realDir, name))), { pages: [1, 2, 3, 4] });
      } catch {
        continue; // shorter than 4 pages, or refused (a scan): the single-file tests cover those
      }
      expect(pagesOf(both.fast), name).toEqual(pagesOf(both.published));
      unrepaired += both.fast.trueTypeFonts!.unrepaired;
    }
    expect(unrepaired).toBeGreaterThan(100);
  }, 300_000);
});
