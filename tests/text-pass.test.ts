/** The worker patches that only save time (src/pdf/load.ts: fonts built for the text only, the
 *  text pass's hot path) give the text pdf.js as published gives, to the bit: each case is read
 *  both ways (`asPublished` is the reference). Real disclosures: tests/font-repair.test.ts reads
 *  their first pages both ways too. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPdf, workerPatches } from '../src/pdf/load.js';
import type { LoadedDocument } from '../src/pdf/types.js';
import { pagesOf, readBothWays } from './helpers/both-ways.js';
import { HELVETICA, pagesPdf, stream } from './helpers/pdf.js';

const textsOf = (d: LoadedDocument) => d.pages.map((p) => p.runs.map((r) => r.text));

describe('worker patches', () => {
  it('every patch applies to the pinned pdf.js (an anchor that moved would make the tool slow or unguarded quietly)', async () => {
    await loadPdf(pagesPdf(['BT /F1 12 Tf 72 720 Td (x) Tj ET']));
    expect(workerPatches()).toEqual({ applied: true, missing: null });
  });
});

describe('the text pass: the same text with and without the hot-path patches', () => {
  it('saved and restored text states (q/Q around Tf, cm, Tc, Tw, Tz, Ts), kerning and line moves', async () => {
    const page = [
      'BT /F1 12 Tf 72 720 Td (Total 1,234.56) Tj ET',
      'q 1 0 0 1 10 -20 cm',
      'BT /F1 10 Tf 2 Tc 3 Tw 90 Tz 2 Ts 72 700 Td (Spaced words here) Tj ET',
      'q 0.5 0 0 0.5 0 0 cm BT /F1 14 Tf 200 1200 Td [(Kern)-250(ed)] TJ ET Q',
      'BT 72 650 Td (after the inner Q) Tj ET',
      'Q',
      'BT /F1 12 Tf 14 TL 72 500 Td (outer state) Tj T* (next line) Tj (quoted) \' ET',
      'q BT /F1 9 Tf 0 1 -1 0 300 300 Tm (rotated) Tj ET Q',
      // Operator names the lexer reads greedily: marked content with true/false/null operands,
      // an unknown long name, names that run together, "d0", and a name Object.prototype has.
      'BX /Span << /MCID 0 /Flag true /Other false /N null >> BDC BT /F1 12 Tf 72 300 Td (marked) Tj ET EMC EX',
      'xyzzy123 toString constructor BT /F1 8 Tf 72 200 Td (after unknown) Tj ET',
      'qq BT /F1 8 Tf 72 180 Td (two saves) Tj ET Q Q 0 0 d0',
    ].join('\n');
    const { fast, published } = await readBothWays(pagesPdf([page, page]));
    expect(pagesOf(fast)).toEqual(pagesOf(published));
    const text = textsOf(fast)[0]!.join(' ');
    for (const t of ['Total', '1,234.56', 'outer', 'next', 'quoted', 'K e r n', 'marked', 'unknown', 'saves']) expect(text).toContain(t);
  });

  it('right-to-left text (Hebrew, Arabic) still goes through the bidi algorithm', async () => {
    const cmap = [
      '/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /R def /CMapType 2 def',
      '1 begincodespacerange <00> <FF> endcodespacerange',
      '4 beginbfchar <41> <05D0> <42> <05D1> <43> <05D2> <44> <0627> endbfchar',
      'endcmap CMapName currentdict /CMap defineresource pop end end',
    ].join('\n');
    const rtlFont = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 5 0 R >>'; // 5: the first extra object
    const pdf = pagesPdf(['BT /F2 12 Tf 72 720 Td (ABC 12) Tj ET BT /F2 12 Tf 72 700 Td (DD 3.5) Tj ET BT /F1 12 Tf 72 680 Td (plain) Tj ET'], [HELVETICA, rtlFont], [stream(cmap)]);
    const { fast, published } = await readBothWays(pdf);
    expect(pagesOf(fast)).toEqual(pagesOf(published));
    const texts = textsOf(fast)[0]!.join(' ');
    expect(texts).toMatch(/[\u05D0-\u05D2]/);
    expect(texts).toMatch(/\u0627/);
    expect(texts).toContain('plain');
  });

  it('CID fonts with a built-in CMap and no ToUnicode: the Unicode map kept per CMap is the one built each time', async () => {
    const cidFont = (name: string, encoding: string) =>
      `<< /Type /Font /Subtype /Type0 /BaseFont /${name} /Encoding /${encoding} /DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /${name} ` +
      `/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /DW 1000 /FontDescriptor << /Type /FontDescriptor /FontName /${name} /Flags 4 ` +
      `/FontBBox [0 -140 1000 860] /ItalicAngle 0 /Ascent 860 /Descent -140 /CapHeight 860 /StemV 80 >> >>] >>`;
    const fonts = [cidFont('SimSun', 'UniGB-UCS2-H'), cidFont('SimHei', 'UniGB-UCS2-H'), cidFont('KaiTi', 'GBK-EUC-H')];
    // 部门预算 in UCS-2 (F1, F2) and in GBK (F3).
    const page = 'BT /F1 12 Tf 72 720 Td <90E895E898847B97> Tj ET BT /F2 12 Tf 72 700 Td <90E895E898847B97> Tj ET BT /F3 12 Tf 72 680 Td <B2BFC3C5D4A4CBE3> Tj ET';
    for (let run = 0; run < 2; run++) {
      const { fast, published } = await readBothWays(pagesPdf([page], fonts));
      expect(pagesOf(fast)).toEqual(pagesOf(published));
      expect(textsOf(fast)[0]).toEqual(['部门预算', '部门预算', '部门预算']);
    }
  });

  it('the bundled disclosures, every page', async () => {
    const files = ['fixtures', 'fixtures/dev'].flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith('.pdf')).map((f) => path.join(d, f)));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      let both;
      try {
        both = await readBothWays(new Uint8Array(fs.readFileSync(f)));
      } catch {
        continue; // refused (a scan, no text): tests/cli covers those
      }
      expect(pagesOf(both.fast), f).toEqual(pagesOf(both.published));
    }
  }, 300_000);
});
