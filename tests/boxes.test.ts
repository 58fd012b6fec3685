/** `--boxes` (issue 12): each value's box holds the glyphs of that figure, as the text runs
 *  place them; a row's box holds its values', a table's its rows'; without --boxes, no box. */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { extractDocument } from '../src/extract.js';
import type { Box, Document } from '../src/model.js';
import { glyphBox } from '../src/pdf/boxes.js';
import { loadPdf } from '../src/pdf/load.js';
import type { LoadedDocument } from '../src/pdf/types.js';
import { cellAmount } from '../src/tables/cell.js';

// Each case spawns the CLI (a file read in full, at times several times): on a loaded 2-core
// machine that passes the suite's 60 s.
vi.setConfig({ testTimeout: 300_000 });

const SAMPLE = new URL('../fixtures/huairen-gaj-2025.pdf', import.meta.url);
/** Box coordinates are rounded to 0.01 pt. */
const EPS = 0.006;

const inside = (a: { x0: number; y0: number; x1: number; y1: number }, b: Box) =>
  a.x0 >= b.x0 - EPS && a.x1 <= b.x1 + EPS && a.y0 >= b.y0 - EPS && a.y1 <= b.y1 + EPS;

describe('--boxes on the bundled sample', () => {
  let loaded: LoadedDocument;
  let doc: Document;
  let plain: Document;
  beforeAll(async () => {
    loaded = await loadPdf(new Uint8Array(readFileSync(SAMPLE)));
    doc = extractDocument(loaded, { file: 'sample.pdf', sha256: '0' }, { boxes: true });
    plain = extractDocument(loaded, { file: 'sample.pdf', sha256: '0' });
  }, 120_000);

  it('every value has a box, and the runs inside it spell that figure', () => {
    let n = 0;
    for (const t of doc.tables) {
      for (const r of t.rows) {
        for (const [field, value] of Object.entries(r.values)) {
          const b = r.valueBoxes?.[field];
          expect(b, `${t.id} ${r.key}.${field}`).toBeDefined();
          const page = loaded.pages.find((p) => p.index === b!.page)!;
          // The runs whose glyphs stand in the box (their centre inside it), read in line order.
          const runs = page.runs
            .filter((run) => run.text.trim())
            .map((run) => ({ run, g: glyphBox(run) }))
            .filter(({ g }) => (g.x0 + g.x1) / 2 > b!.x0 && (g.x0 + g.x1) / 2 < b!.x1 && (g.y0 + g.y1) / 2 > b!.y0 && (g.y0 + g.y1) / 2 < b!.y1)
            .sort((p, q) => p.run.y - q.run.y || p.run.x - q.run.x);
          expect(runs.length, `${t.id} ${r.key}.${field}`).toBeGreaterThan(0);
          for (const { g } of runs) expect(inside(g, b!), `${t.id} ${r.key}.${field}: a glyph outside the box`).toBe(true);
          expect(cellAmount(runs.map(({ run }) => run.text).join('')), `${t.id} ${r.key}.${field}`).toBe(value);
          n++;
        }
      }
    }
    // Every figure of every table of the sample.
    expect(n).toBe(doc.tables.reduce((s, t) => s + t.rows.reduce((m, r) => m + Object.keys(r.values).length, 0), 0));
    expect(n).toBe(390);
  });

  it("a row's box holds its values' boxes; a table's box on a page holds its rows there", () => {
    for (const t of doc.tables) {
      expect(t.boxes!.map((b) => b.page)).toEqual(t.pages.filter((p) => t.boxes!.some((b) => b.page === p)));
      for (const r of t.rows) {
        for (const vb of Object.values(r.valueBoxes ?? {})) if (r.box && vb.page === r.box.page) expect(inside(vb, r.box), `${t.id} ${r.key}`).toBe(true);
        const tb = t.boxes!.find((b) => b.page === r.box?.page);
        if (r.box) expect(tb && inside(r.box, tb), `${t.id} ${r.key} in its table`).toBe(true);
      }
    }
  });

  it('without --boxes the output has no box at all, and the same content', () => {
    const text = JSON.stringify(plain);
    expect(text).not.toMatch(/"(boxes|box|valueBoxes)":/);
    const stripped = JSON.parse(JSON.stringify(doc), (k, v) => (k === 'boxes' || k === 'box' || k === 'valueBoxes' ? undefined : v)) as Document;
    expect(stripped).toEqual(plain);
  });
});
