// Debug aid: print each page's runs grouped into lines, with x positions.
import fs from 'node:fs';
import { loadPdf } from '../dist/pdf/load.js';
const [file, pagesArg, mode] = process.argv.slice(2);
const want = pagesArg ? new Set(pagesArg.split(',').flatMap((p) => { const [a, b] = p.split('-').map(Number); return b ? Array.from({ length: b - a + 1 }, (_, i) => a + i) : [a]; })) : null;
const doc = await loadPdf(new Uint8Array(fs.readFileSync(file)), { textOnly: mode !== 'lines' });
console.log(JSON.stringify(doc.info), doc.warnings);
for (const p of doc.pages) {
  if (want && !want.has(p.index)) continue;
  console.log(`=== page ${p.index} ${p.width.toFixed(0)}x${p.height.toFixed(0)} rot ${p.rotate} runs ${p.runs.length} h ${p.hLines.length} v ${p.vLines.length}`);
  const runs = p.runs.slice().sort((a, b) => a.y - b.y || a.x - b.x);
  let line = [], y = null;
  const flush = () => { if (line.length) console.log(`${y.toFixed(1).padStart(6)}| ` + line.map((r) => `[${r.x.toFixed(0)}-${(r.x + r.w).toFixed(0)}]${r.text}`).join(' ')); line = []; };
  for (const r of runs) { if (y === null || Math.abs(r.y - y) > 2) { flush(); y = r.y; } line.push(r); }
  flush();
  if (mode === 'lines') { const xs = [...new Set(p.vLines.map((l) => l.x1.toFixed(0)))]; const ys = [...new Set(p.hLines.map((l) => l.y1.toFixed(0)))]; console.log('vx', xs.join(' ')); console.log('hy', ys.join(' ')); }
}
