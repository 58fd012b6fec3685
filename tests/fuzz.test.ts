/** Hostile input: a short fuzz run (scripts/fuzz.mjs) ends without crash or hang, and every input
 *  the fuzzer once crashed on (fixtures/fuzz/) now ends in JSON or a coded error. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/errors.js';
import { Document } from '../src/model.js';
import { loadPdf, maxNesting, orphanPdfjsRejection, PdfLoadError } from '../src/pdf/load.js';
import { buildPdf } from './helpers/pdf.js';

/** A small PDF whose pages have the given content streams (uncompressed, Helvetica); the content
 *  objects of the pages in `unclosed` (0-based) start with a `[` that is never closed. */
function makePdf(contents: string[], unclosed: number[] = []): Uint8Array {
  const objs: string[] = [];
  const pageIds = contents.map((_, i) => 4 + 2 * i);
  objs[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objs[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${contents.length} >>`;
  objs[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
  contents.forEach((c, i) => {
    objs[4 + 2 * i] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${5 + 2 * i} 0 R >>`;
    const stream = `<< /Length ${Buffer.byteLength(c, 'latin1')} >>\nstream\n${c}\nendstream`;
    objs[5 + 2 * i] = unclosed.includes(i) ? `[ ${stream}` : stream;
  });
  return buildPdf(objs.slice(1));
}
const text = (s: string) => `BT /F1 12 Tf 72 720 Td (${s}) Tj ET 72 700 m 500 700 l S`;

const ROOT = path.resolve(import.meta.dirname, '..');
const FUZZ_DIR = path.join(ROOT, 'fixtures', 'fuzz');
const NOT_OK = new Set(['internal', 'timeout', 'out_of_memory']);

describe('damaged pages and deep nesting (src/pdf/load.ts)', () => {
  it('a page pdf.js cannot read (an array never closed before its content stream) is skipped with a warning, the others kept', async () => {
    // As in fixtures/fuzz/unclosed-array.pdf: parsing page 2's content object runs into the end of
    // the file ("End of file inside array"), which getTextContent throws. Before: [internal].
    const doc = await loadPdf(makePdf([text('first'), text('second'), text('third')], [1]));
    expect(doc.pages.map((p) => p.index)).toEqual([1, 3]);
    expect(doc.pages[0]!.runs.map((r) => r.text).join('')).toContain('first');
    expect(doc.pages[0]!.hLines).toHaveLength(1);
    expect(doc.warnings).toEqual([expect.stringMatching(/^page 2 could not be read: End of file inside array/)]);
  });

  it('a file where no page can be read is corrupt (before: [internal])', async () => {
    const pdf = makePdf([text('a'), text('b')], [0, 1]);
    await expect(loadPdf(pdf)).rejects.toMatchObject({ name: 'PdfLoadError', code: 'corrupt' });
  });

  it('objects nested deeper than 1000 levels are refused as corrupt, quickly', async () => {
    const ok = makePdf([text('x')]);
    expect(maxNesting(ok)).toBeLessThan(5);
    const s = Buffer.from(ok).toString('latin1').replace('/Type /Font', '/Junk ' + '['.repeat(5000) + ']'.repeat(5000) + ' /Type /Font');
    const deep = new Uint8Array(Buffer.from(s, 'latin1'));
    expect(maxNesting(deep)).toBeGreaterThan(1000);
    const t0 = Date.now();
    await expect(loadPdf(deep)).rejects.toBeInstanceOf(PdfLoadError);
    expect(Date.now() - t0).toBeLessThan(5000);
    // Brackets inside strings, comments and streams don't count.
    const quoted = makePdf([`BT /F1 12 Tf 72 720 Td (${'[('.repeat(3000)}${')'.repeat(3000)}) Tj ET`]);
    expect(maxNesting(quoted)).toBeLessThan(5);
  });

  it('a string left open in one object does not hide the next object\'s nesting (fuzz 2000 --seed 1204, case 589; before: [internal] stack overflow)', async () => {
    // A flipped bit opened a string in a page's /MediaBox; the scan read everything after it as
    // that string, while pdf.js reads each object from its own offset and overflowed its stack.
    const s = Buffer.from(makePdf([text('x'), text('y')])).toString('latin1');
    const at = s.lastIndexOf('/Type /Page /Parent');
    const deep = s.slice(0, at) + '/Junk ' + '<< /Kids ['.repeat(5000) + '] >>'.repeat(5000) + ' ' + s.slice(at);
    const open = deep.replace('/MediaBox [0 0', '/MediaBox [(0 0');
    const pdf = new Uint8Array(Buffer.from(open, 'latin1'));
    expect(maxNesting(pdf)).toBeGreaterThan(1000);
    await expect(loadPdf(pdf)).rejects.toMatchObject({ name: 'PdfLoadError', code: 'corrupt' });
    // A string that closes is still skipped whole, `endobj` or not inside it.
    expect(maxNesting(makePdf([`BT /F1 12 Tf 72 720 Td (${'['.repeat(2000)}) Tj ET`]))).toBeLessThan(5);
  });

  it('a stack overflow nobody awaits is ignored only when pdf.js raised it', () => {
    const overflow = (frame: string) => Object.assign(new RangeError('Maximum call stack size exceeded'), { stack: `RangeError: Maximum call stack size exceeded\n    at ${frame}` });
    expect(orphanPdfjsRejection(overflow('Stream.getByte (data:text/javascript;base64,Y29uc3Q=:1:2)'))).toBe(true);
    expect(orphanPdfjsRejection(overflow('Parser.getObj (file:///x/node_modules/pdfjs-dist/legacy/build/pdf.worker.mjs:1:2)'))).toBe(true);
    expect(orphanPdfjsRejection(overflow('readPage (file:///x/dist/pdf/load.js:1:2)'))).toBe(false);
    expect(orphanPdfjsRejection(Object.assign(new Error('x'), { name: 'FormatError' }))).toBe(true);
    expect(orphanPdfjsRejection(new TypeError('x'))).toBe(false);
    expect(orphanPdfjsRejection('text')).toBe(false);
  });
});

describe('fuzzing', () => {
  it('a short run (mutated fixtures through the single-file path, batch limits) has no crash and no hang', () => {
    const r = spawnSync(
      process.execPath,
      ['scripts/fuzz.mjs', '16', '--seed', '20260101', '--quiet', '--jobs', '2', '--timeout', '60', '--seeds', 'fixtures/bad', '--seeds', 'fixtures/linquan-sfj-2025.pdf'],
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^fuzz: 16 cases in .* crashes 0, hangs 0, out of memory 0; /m);
    expect(r.status).toBe(0);
  });

  it('every kept crash input now ends in JSON or a coded error', () => {
    const files = fs.readdirSync(FUZZ_DIR).filter((f) => f.endsWith('.pdf'));
    expect(files.length).toBeGreaterThan(0);
    const r = spawnSync(path.join(ROOT, 'bin', 'budget-extract'), ['batch', FUZZ_DIR, '--ndjson', '-', '--timeout', '60'], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 1 << 27,
      timeout: 120_000,
    });
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(files.length);
    for (const l of lines) {
      if ('error' in l) {
        expect(Object.keys(ERROR_CODES)).toContain(l.error.code);
        expect(NOT_OK.has(l.error.code), `${l.file}: [${l.error.code}] ${l.error.message}`).toBe(false);
      } else expect(() => Document.parse(l)).not.toThrow();
    }
  });
});
