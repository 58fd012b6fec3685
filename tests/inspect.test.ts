/** `budget-extract inspect` (issue 12): the SVG's boxes are the JSON's (--boxes) of that page; the
 *  PNG is valid; several pages go to a directory; bad pages are usage errors. */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { extractLoaded, readInput } from '../src/cli/run.js';
import { inspectPages } from '../src/inspect/index.js';
import { pageOverlay } from '../src/inspect/overlay.js';
import { overlaySvg } from '../src/inspect/svg.js';
import type { Document } from '../src/model.js';
import { CORE_TABLES, tableLabels } from '../src/quality.js';
import { explainTables } from '../src/tables/explain.js';

// Each case spawns the CLI (a file read in full, at times several times): on a loaded 2-core
// machine that passes the suite's 60 s.
vi.setConfig({ testTimeout: 300_000 });

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'budget-extract');
const SAMPLE = 'fixtures/huairen-gaj-2025.pdf';
const REALTRUTH = path.resolve(ROOT, '..', 'shared', 'corpus', 'realtruth');
const REAL = path.resolve(ROOT, '..', 'shared', 'corpus', 'real');
const tmp = mkdtempSync(path.join(tmpdir(), 'be-inspect-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[]): SpawnSyncReturns<string> {
  return spawnSync(BIN, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28, timeout: 180_000 });
}

type Rect = { x0: number; y0: number; x1: number; y1: number };
/** The boxes an SVG draws for a role, by their data- attributes. */
function svgBoxes(svg: string, role: string): Map<string, Rect> {
  const out = new Map<string, Rect>();
  for (const m of svg.matchAll(new RegExp(`<rect class="${role}" ([^>]*)/>`, 'g'))) {
    const a = Object.fromEntries([...m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((x) => [x[1]!, x[2]!.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')]));
    const x = Number(a.x);
    const y = Number(a.y);
    out.set([a['data-table'], a['data-row'] ?? '', a['data-field'] ?? ''].join('|'), { x0: x, y0: y, x1: x + Number(a.width), y1: y + Number(a.height) });
  }
  return out;
}
/** The boxes the JSON gives on a page: values, rows, tables (as the SVG keys them). */
function jsonBoxes(doc: Document, page: number): Record<'value' | 'row' | 'table', Map<string, Rect>> {
  const out = { value: new Map<string, Rect>(), row: new Map<string, Rect>(), table: new Map<string, Rect>() };
  const labels = tableLabels(doc.tables);
  doc.tables.forEach((t, i) => {
    const label = labels[i]!;
    for (const b of t.boxes ?? []) if (b.page === page) out.table.set(`${label}||`, b);
    for (const r of t.rows) {
      if (r.box?.page === page) out.row.set(`${label}|${r.key}|`, r.box);
      for (const [f, b] of Object.entries(r.valueBoxes ?? {})) if (b.page === page) out.value.set(`${label}|${r.key}|${f}`, b);
    }
  });
  return out;
}
function expectSameBoxes(svg: string, doc: Document, page: number): number {
  const json = jsonBoxes(doc, page);
  for (const role of ['value', 'row', 'table'] as const) {
    const drawn = svgBoxes(svg, role);
    expect([...drawn.keys()].sort(), `${role} boxes on p${page}`).toEqual([...json[role].keys()].sort());
    for (const [k, b] of json[role]) {
      const d = drawn.get(k)!;
      for (const c of ['x0', 'y0', 'x1', 'y1'] as const) expect(Math.abs(d[c] - b[c]), `${role} ${k} ${c}`).toBeLessThan(0.011);
    }
  }
  return json.value.size;
}
/** PNG signature and IHDR width/height. */
function pngSize(buf: Buffer): { width: number; height: number } {
  expect(buf.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(buf.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

describe('budget-extract inspect on the sample', () => {
  const json = run([SAMPLE, '--boxes', '--compact']);
  const doc = JSON.parse(json.stdout) as Document;

  it('-o x.svg: its value, row and table boxes are those of the JSON (--boxes) on that page', () => {
    const out = path.join(tmp, 'p6.svg');
    const r = run(['inspect', SAMPLE, '--page', '6', '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^page 6: ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(827×1170 px, \\d+\\.\\d\\d s\\)\\n$`));
    const svg = readFileSync(out, 'utf8');
    expect(expectSameBoxes(svg, doc, 6)).toBe(10);
    // The column bands carry their field ids; the figures their checks' worst status.
    expect(svg).toContain('data-table="budget_summary" data-field="current_year"');
    // Each figure's status is the worst of the checks naming it in the JSON.
    const order = ['fail', 'warning', 'skipped', 'rounding', 'pass'];
    let checked = 0;
    for (const m of svg.matchAll(/class="value" [^>]*data-table="([^"]+)" data-row="([^"]+)" data-field="([^"]+)" data-status="(\w+)"/g)) {
      const statuses = doc.checks!.filter((c) => [...c.refs.left, ...c.refs.right].some((x) => x.table === m[1] && x.row === m[2] && x.field === m[3])).map((c) => c.status);
      const worst = statuses.sort((a, b) => order.indexOf(a) - order.indexOf(b))[0] ?? 'unchecked';
      expect(m[4], `${m[2]}.${m[3]}`).toBe(worst);
      if (worst !== 'unchecked') checked++;
    }
    expect(checked).toBeGreaterThan(5);
    expect(svg).toMatch(/class="value" [^>]*data-row="公共安全支出" data-field="total" data-status="rounding"/);
    expect(svg).toContain('class="heading"');
    expect(svg).toContain('class="heading-rejected"');
    expect(svg).toContain('<image class="page-image"');
  });

  it('-o x.png: a valid PNG of the page at --dpi', () => {
    const out = path.join(tmp, 'p14.png');
    const r = run(['inspect', SAMPLE, '--page', '14', '-o', out, '--dpi', '72']);
    expect(r.status).toBe(0);
    expect(pngSize(readFileSync(out))).toEqual({ width: 596, height: 842 });
  });

  it('several pages go to a directory, one image each; bad pages are usage errors', () => {
    const dir = path.join(tmp, 'pages') + '/';
    const r = run(['inspect', SAMPLE, '--page', '7,13', '-o', dir]);
    expect(r.status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['huairen-gaj-2025-p13.png', 'huairen-gaj-2025-p7.png']);
    for (const f of readdirSync(dir)) expect(pngSize(readFileSync(path.join(dir, f)))).toEqual({ width: 827, height: 1170 });
    const several = run(['inspect', SAMPLE, '--page', '7-8', '-o', path.join(tmp, 'one.png')]);
    expect(several.status).toBe(2);
    expect(several.stderr).toBe(`budget-extract: ${SAMPLE}: 2 pages need a directory: -o DIR/ [usage]\n`);
    const past = run(['inspect', SAMPLE, '--page', '45', '-o', path.join(tmp, 'x.png')]);
    expect(past.status).toBe(2);
    expect(past.stderr).toBe(`budget-extract: ${SAMPLE}: --page: page 45 is past the last page (44) [usage]\n`);
    expect(run(['inspect', SAMPLE, '--page', '3-', '-o', path.join(tmp, 'x.png')]).status).toBe(2);
    expect(run(['inspect', SAMPLE]).status).toBe(2);
  });

  it('without a rendered page the SVG draws the text runs (the fallback when the canvas cannot load)', async () => {
    const { doc: d, loaded } = await extractLoaded(SAMPLE, await readInput(path.join(ROOT, SAMPLE)), { boxes: true });
    const page = loaded.pages.find((p) => p.index === 6)!;
    const svg = overlaySvg(pageOverlay(page, d, explainTables(loaded.pages, d.tables, d.document.kind)), { runs: page.runs }, 100);
    expect(svg).not.toContain('<image');
    expect(svg).toContain('<text class="run" ');
    expect(svg).toContain('>9115.55</text>');
    expectSameBoxes(svg, d, 6);
  }, 120_000);
});

/** Every file of realtruth: the first page of each core table, as SVG (with the page rendered
 *  in it) whose boxes are the JSON's. */
const realFiles = existsSync(REALTRUTH) ? readdirSync(REALTRUTH).filter((f) => f.endsWith('.truth.json')).map((f) => f.replace(/\.truth\.json$/, '.pdf')) : [];
describe.skipIf(!realFiles.length)('inspect on ../shared/corpus/realtruth', () => {
  it.each(realFiles)('%s: first page of each core table', async (f) => {
    const file = path.join(REAL, f);
    const read = await readInput(file);
    const data = read.data.slice();
    const { doc, loaded } = await extractLoaded(f, read, { boxes: true });
    const core = CORE_TABLES[doc.document.kind ?? 'budget'];
    const pages = [...new Set(doc.tables.filter((t) => core.includes(t.id) && t.pages.length).map((t) => t.pages[0]!))];
    expect(pages.length).toBeGreaterThan(0);
    const { images } = await inspectPages(data, doc, loaded, pages, { format: 'svg', dpi: 100 });
    for (const img of images) {
      const svg = Buffer.from(img.bytes).toString('utf8');
      const png = /href="data:image\/png;base64,([^"]+)"/.exec(svg);
      expect(png, `${f} p${img.page} rendered`).not.toBeNull();
      pngSize(Buffer.from(png![1]!, 'base64'));
      expectSameBoxes(svg, doc, img.page);
    }
  }, 300_000);
});
if (!realFiles.length) console.warn('inspect: ../shared/corpus/realtruth absent: the real files are skipped');
