/** The only module that talks to pdfjs-dist: bytes in, positioned text runs and ruling
 *  lines out. */
import { createRequire } from 'node:module';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { LoadedDocument, PageData, Segment, TextRun } from './types.js';
import { normalizeText } from './normalize.js';
import { dropWatermarks } from './watermark.js';
import { mul, OperatorReplay, RulingReader, type Matrix, type RulingOps } from './rulings.js';

const require = createRequire(import.meta.url);
const PDFJS_DIR = path.dirname(require.resolve('pdfjs-dist/package.json'));
// Node's CMap/font readers take filesystem paths that must end with a slash.
const CMAP_URL = path.join(PDFJS_DIR, 'cmaps') + path.sep;
const STANDARD_FONT_URL = path.join(PDFJS_DIR, 'standard_fonts') + path.sep;

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjsPromise: Promise<PdfJs> | null = null;

/**
 * Load pdf.js once per process (or worker thread) and undo what makes it slow in Node. None of
 * this changes what pdf.js extracts; each step was checked against the full output of every
 * file in the corpora (see README, "Benchmark").
 *
 * - The legacy build's core-js polyfills replace Array.prototype.push (with a spec-edge-case
 *   version several times slower) and JSON.parse, for the whole process. They are put back once
 *   both the API and the worker module are loaded (pdf.js needs neither edge case).
 * - pdf.js inflates FlateDecode streams through the web-streams DecompressionStream, whose
 *   per-chunk promise machinery costs more than the inflating; zlib.inflateSync gives the same
 *   bytes and the same errors (pdf.js falls back to its own inflater on an error either way).
 * - With disableFontFace, every glyph drawn is compiled into a path for canvas rendering, which
 *   nothing here uses. Fonts are instead "loaded" into a stub document (FontFace objects that do
 *   nothing), so glyph paths are never built.
 */
function pdfjs(): Promise<PdfJs> {
  pdfjsPromise ??= (async () => {
    const push = Array.prototype.push;
    const parse = JSON.parse;
    ensureDomMatrix();
    const lib = await import('pdfjs-dist/legacy/build/pdf.mjs');
    guardOrphanRejections();
    // Loading the worker module here (it registers globalThis.pdfjsWorker, which pdf.js then uses
    // as its in-thread worker) means its polyfills are installed now, before they are undone.
    const workerModule = await importWorker();
    workerHandler = workerModule.WorkerMessageHandler;
    const O = lib.OPS;
    textOps = new Set([O.showText, O.showSpacedText, O.nextLineShowText, O.nextLineSetSpacingShowText]);
    Array.prototype.push = push;
    JSON.parse = parse;
    const g = globalThis as unknown as { DecompressionStream?: unknown; FontFace?: unknown };
    g.DecompressionStream = InflateStream;
    g.FontFace ??= StubFontFace;
    return lib;
  })();
  return pdfjsPromise;
}

import { DEFAULT_LIMITS, type PdfLimits } from './limits.js';
export { DEFAULT_LIMITS, type PdfLimits };

/** Thrown inside pdf.js when a cap is hit (pdf.js, with stopAtErrors off, keeps what it read). */
class LimitError extends Error {
  override name = 'LimitError';
}

/** The caps of the document being read, and which were hit on the current page. The hooks
 *  are called from the patched pdf.js worker code (one document at a time per thread). */
interface LimitState {
  limits: PdfLimits;
  /** Counts of the current page and pass. */
  ops: number;
  forms: number;
  hits: Set<string>;
  /** Highest counts of any page and pass (BUDGET_EXTRACT_DEBUG_LIMITS prints them). */
  peak: { ops: number; forms: number; depth: number; saves: number };
  /** Embedded TrueType fonts repaired, and left unrepaired (see the Font patch). */
  trueTypeFonts: { repaired: number; unrepaired: number };
}
let active: LimitState | null = null;

const hooks = {
  /** Every operator pdf.js reads (TimeSlotManager.check is called once per operator). */
  op(): void {
    const a = active;
    if (a && ++a.ops > a.limits.maxOperators) {
      a.hits.add(`more than ${a.limits.maxOperators} operators (--max-operators); the rest of the page was skipped`);
      throw new LimitError('operator limit');
    }
  },
  /** A content stream or form about to be read, `depth` forms deep (1: the page itself). */
  depth(depth: number): void {
    const a = active;
    if (!a) return;
    if (depth > a.peak.depth) a.peak.depth = depth;
    if (depth > a.limits.maxFormDepth + 1) {
      a.hits.add(`forms nested more than ${a.limits.maxFormDepth} deep (--max-form-depth); what they draw was skipped`);
      throw new LimitError('form nesting limit');
    }
    if (depth > 1 && ++a.forms > a.limits.maxFormDraws) {
      a.hits.add(`more than ${a.limits.maxFormDraws} forms drawn; the rest were skipped`);
      throw new LimitError('form draw limit');
    }
  },
  /** A graphics state saved (`q`) on top of `depth` others. */
  save(depth: number): void {
    const a = active;
    if (!a) return;
    if (depth > a.peak.saves) a.peak.saves = depth;
    if (depth >= a.limits.maxSaveDepth) {
      a.hits.add(`graphics states saved more than ${a.limits.maxSaveDepth} deep; the rest of the page was skipped`);
      throw new LimitError('graphics state nesting limit');
    }
  },
  /** The text pass's graphics operators, for the ruling lines (see rulings.ts; null: not wanted). */
  gfx: null as OperatorReplay['op'] | null,
  gfxForm: null as OperatorReplay['formBegin'] | null,
  gfxFormEnd: null as OperatorReplay['formEnd'] | null,
  gfxFormFail: null as OperatorReplay['formFail'] | null,
  /** An embedded TrueType font about to be repaired; `textSafe`: its repair cannot change the
   *  text (see the Font patch below). Returns whether to leave it unrepaired. */
  trueTypeFont(textSafe: boolean): boolean {
    const a = active;
    const skip = textSafe && hooks.fast;
    if (a) a.trueTypeFonts[skip ? 'unrepaired' : 'repaired']++;
    return skip;
  },
  /** The patches that only save time are on (while a document is read, not as published):
   *  fonts built for the text only, not for a renderer, and the text pass's hot path. A data
   *  property: it is read once per glyph. */
  fast: false,
  /** A decoded stream about to grow to `bytes`. */
  bytes(bytes: number): void {
    const a = active;
    if (a && bytes > a.limits.maxStreamBytes) {
      a.hits.add(`a stream decompresses to more than ${Math.round(a.limits.maxStreamBytes / 1048576)} MB (--max-stream-mb); it was skipped`);
      throw new LimitError('stream size limit');
    }
  },
};

/** Edits to pdf.js's worker code (pinned 5.4.624) that call the hooks above. */
const L = (...lines: string[]) => lines.join('\n');
const WORKER_PATCHES: Array<[string, string]> = [
  // Once per operator, in the operator-list and the text-content loops alike.
  [
    L('  check() {', '    if (++this.checked < TimeSlotManager.CHECK_TIME_EVERY) {'),
    L('  check() {', '    __budgetExtractHooks.op();', '    if (++this.checked < TimeSlotManager.CHECK_TIME_EVERY) {'),
  ],
  // Each content stream read (page or form): seenRefs holds the forms it is nested in.
  ...['getOperatorList', 'getTextContent'].map((fn): [string, string] => [
    L('    const seenRefs = new RefSet(prevRefs);', '    if (objId) {', '      if (prevRefs?.has(objId)) {', `        throw new Error(\`${fn}`),
    L('    __budgetExtractHooks.depth((prevRefs?._set.size ?? 0) + 1);', '    const seenRefs = new RefSet(prevRefs);', '    if (objId) {', '      if (prevRefs?.has(objId)) {', `        throw new Error(\`${fn}`),
  ]),
  // Each graphics state saved.
  [
    L('  save() {', '    const old = this.state;', '    this.stateStack.push(this.state);'),
    L('  save() {', '    __budgetExtractHooks.save(this.stateStack.length);', '    const old = this.state;', '    this.stateStack.push(this.state);'),
  ],
  // The text pass hands its graphics operators to the ruling reader (one parse per page, see
  // readPage): every operator, each form opened, read or refused. A form that draws no text is
  // not skipped the next time it is drawn while they are wanted (its rules would be).
  [
    L('        const fn = operation.fn;', '        args = operation.args;', '        switch (fn | 0) {', '          case OPS.setFont:'),
    L('        const fn = operation.fn;', '        args = operation.args;', '        __budgetExtractHooks.gfx?.(fn, args, resources);', '        switch (fn | 0) {', '          case OPS.setFont:'),
  ],
  [
    L('              self.getTextContent({', '                stream: xobj,'),
    L('              __budgetExtractHooks.gfxForm?.(matrix);', '              self.getTextContent({', '                stream: xobj,'),
  ],
  [
    L(
      '              }).then(function () {',
      '                if (!sinkWrapper.enqueueInvoked) {',
      '                  emptyXObjectCache.set(name, dict.objId, true);',
      '                }',
      '                resolveXObject();',
      '              }, rejectXObject);',
    ),
    L(
      '              }).then(function () {',
      '                __budgetExtractHooks.gfxFormEnd?.();',
      '                if (!sinkWrapper.enqueueInvoked && !__budgetExtractHooks.gfx) {',
      '                  emptyXObjectCache.set(name, dict.objId, true);',
      '                }',
      '                resolveXObject();',
      '              }, function (reason) {',
      '                __budgetExtractHooks.gfxFormFail?.();',
      '                rejectXObject(reason);',
      '              });',
    ),
  ],
  // Text content reaches the API in chunks of 1,000 items, not ~10 to 100: each chunk is a
  // message, a stream pull and a promise round trip (the items and their order are the same).
  ['const TEXT_CHUNK_BATCH_SIZE = 10;', 'const TEXT_CHUNK_BATCH_SIZE = 1000;'],
  [
    '        if (textContent.items.length >= (sink?.desiredSize ?? 1)) {',
    '        if (textContent.items.length >= Math.max(sink?.desiredSize ?? 1, TEXT_CHUNK_BATCH_SIZE)) {',
  ],
  // An embedded TrueType font is sanitised and rebuilt (checkAndRepair: every glyph outline,
  // hint program and table) so that a browser can load it; that is 12% of the CPU of a batch,
  // and none of it reaches the text when the conditions of textOnlyTrueType hold:
  // - the font file is plain TrueType (no CFF table: then the repair never sets the font matrix,
  //   so the widths stay those of the PDF), and its matrix is the standard one (no rescaling);
  // - the repair cannot change the Unicode map: a CID font (adjustTrueTypeToUnicode is only
  //   called for simple fonts), or a simple font for which it returns before it reads the font
  //   (its own ToUnicode, an /Encoding, not symbolic …);
  // - nor can the repair's failure: pdf.js then falls back to a system font, which rebuilds the
  //   Unicode map only for a CID font with a standard name and an Identity encoding, and
  //   changes the text of vertical fonts only; both are excluded.
  // The font is then treated as missing (missingFile, as after a failed repair), which changes
  // only the glyph a renderer would draw, and nothing renders from this worker.
  [
    L(
      '        case "CIDFontType2":',
      '          this.mimetype = "font/opentype";',
      '          data = this.checkAndRepair(name, file, properties);',
    ),
    L(
      '        case "CIDFontType2":',
      '          this.mimetype = "font/opentype";',
      '          if (__budgetExtractHooks.trueTypeFont(textOnlyTrueType(name, file, properties))) {',
      '            this.missingFile = true;',
      '            adjustWidths(properties);',
      '            break;',
      '          }',
      '          data = this.checkAndRepair(name, file, properties);',
    ),
  ],
  [
    'function adjustWidths(properties) {',
    L(
      'function textOnlyTrueType(name, file, properties) {',
      '  if (properties.vertical || properties.fontMatrix?.[0] !== FONT_IDENTITY_MATRIX[0]) return false;',
      '  if (!properties.composite && !properties.hasIncludedToUnicodeMap && !unicodeNotFromFont(properties)) return false;',
      '  const cidEncoding = properties.cidEncoding || "";',
      '  if (typeof cidEncoding !== "string") return false;',
      '  if (properties.composite && cidEncoding.startsWith("Identity-")) {',
      '    const fontName = normalizeFontName(name);',
      '    const std = getStdFontMap(), nonStd = getNonStdFontMap();',
      '    if (std[fontName] || (nonStd[fontName] && std[nonStd[fontName]])) return false;',
      '  }',
      '  const head = file.peekBytes(12);',
      '  if (head.length < 12 || !(readUint32(head, 0) === 0x00010000 || bytesToString(head.subarray(0, 4)) === "true")) return false;',
      '  const numTables = (head[4] << 8) | head[5];',
      '  const dir = file.peekBytes(12 + 16 * numTables);',
      '  if (dir.length < 12 + 16 * numTables) return false;',
      '  for (let i = 0; i < numTables; i++) {',
      '    if (bytesToString(dir.subarray(12 + 16 * i, 16 + 16 * i)) === "CFF ") return false;',
      '  }',
      '  return true;',
      '}',
      // adjustTrueTypeToUnicode's early returns that need no font file.
      'function unicodeNotFromFont(properties) {',
      '  return properties.isInternalFont || properties.hasEncoding || properties.toUnicode instanceof IdentityToUnicodeMap ||',
      '    !(properties.flags & FontFlags.Symbolic) || properties.defaultEncoding === WinAnsiEncoding;',
      '}',
      'function adjustWidths(properties) {',
    ),
  ],
  // A font with no usable program (not embedded, or its repair failed, or left unrepaired above)
  // falls back to a system font, and pdf.js maps every code it can show to the glyph a renderer
  // would draw (toFontChar): for a CID font without a ToUnicode that is all 65,536 codes, 2% of a
  // batch's CPU. Text reads only the Unicode map and the widths; toFontChar reaches the text only
  // through a vertical font's presentation forms (excluded). The branches before this one
  // (standard-name CID fonts, Symbol, Dingbats, standard fonts) are kept: the first rewrites the
  // Unicode map, the others are cheap.
  [
    L('    } else {', '      const glyphsUnicodeMap = getGlyphsUnicode();', '      const map = [];', '      this.toUnicode.forEach((charCode, unicodeCharCode) => {'),
    L(
      '    } else if (__budgetExtractHooks.fast && !this.vertical) {',
      '      this.toFontChar = [];',
      '    } else {',
      '      const glyphsUnicodeMap = getGlyphsUnicode();',
      '      const map = [];',
      '      this.toUnicode.forEach((charCode, unicodeCharCode) => {',
    ),
  ],
  // The text pass's hot path, made cheaper with the same arithmetic and the same results:
  // - a text state saved (`q`) was a new object whose prototype is the state it copies: making
  //   an object a prototype is costly in V8 (2.4% of a batch's CPU) and leaves the text pass's
  //   property reads polymorphic. The copy is flat: a saved state is never written while a
  //   copy of it is in use (`Q` drops the copy), so reading through the prototype and reading
  //   a copy of the same fields give the same values;
  [
    L('  clone() {', '    const clone = Object.create(this);', '    clone.textMatrix = this.textMatrix.slice();'),
    L(
      '  flatClone() {',
      '    const clone = Object.create(TextState.prototype);',
      '    clone.ctm = this.ctm;',
      '    clone.fontName = this.fontName;',
      '    clone.fontSize = this.fontSize;',
      '    clone.loadedName = this.loadedName;',
      '    clone.font = this.font;',
      '    clone.fontMatrix = this.fontMatrix.slice();',
      '    clone.textMatrix = this.textMatrix.slice();',
      '    clone.textLineMatrix = this.textLineMatrix.slice();',
      '    clone.charSpacing = this.charSpacing;',
      '    clone.wordSpacing = this.wordSpacing;',
      '    clone.leading = this.leading;',
      '    clone.textHScale = this.textHScale;',
      '    clone.textRise = this.textRise;',
      '    return clone;',
      '  }',
      '  clone() {',
      '    if (__budgetExtractHooks.fast) return this.flatClone();',
      '    const clone = Object.create(this);',
      '    clone.textMatrix = this.textMatrix.slice();',
    ),
  ],
  // - the glyph's transform (twice per glyph) is the two matrix products of Util.transform, term
  //   for term (the zero terms too: they decide NaN and -0), without the two arrays between
  //   (Type 3 fonts, which may scale the glyph height, keep pdf.js's code);
  [
    '      const tsm = [textState.fontSize * textState.textHScale, 0, 0, textState.fontSize, 0, textState.textRise];',
    L(
      '      if (__budgetExtractHooks.fast && !font.isType3Font) {',
      '        const s0 = textState.fontSize * textState.textHScale, s3 = textState.fontSize, s5 = textState.textRise;',
      '        const t = textState.textMatrix, c = textState.ctm;',
      '        const i0 = t[0] * s0 + t[2] * 0, i1 = t[1] * s0 + t[3] * 0, i2 = t[0] * 0 + t[2] * s3;',
      '        const i3 = t[1] * 0 + t[3] * s3, i4 = t[0] * 0 + t[2] * s5 + t[4], i5 = t[1] * 0 + t[3] * s5 + t[5];',
      '        return [c[0] * i0 + c[2] * i1, c[1] * i0 + c[3] * i1, c[0] * i2 + c[2] * i3, c[1] * i2 + c[3] * i3, c[0] * i4 + c[2] * i5 + c[4], c[1] * i4 + c[3] * i5 + c[5]];',
      '      }',
      '      const tsm = [textState.fontSize * textState.textHScale, 0, 0, textState.fontSize, 0, textState.textRise];',
    ),
  ],
  // - a text item's characters go to a new array, not to the old one cut to length 0 (a slow
  //   array operation; the old one was joined already);
  [
    '      textContentItem.str.length = 0;',
    L('      if (__budgetExtractHooks.fast) {', '        textContentItem.str = [];', '      } else {', '        textContentItem.str.length = 0;', '      }'),
  ],
  // - text with no character of a right-to-left script skips the bidi algorithm, whose first
  //   loop finds exactly that (numBidi === 0) and returns the text as it is, left to right.
  [
    L('function bidi(str, startLevel = -1, vertical = false) {', '  let isLTR = true;'),
    L(
      'function mayBeRtl(str) {',
      '  for (let i = 0, n = str.length; i < n; i++) {',
      '    const c = str.charCodeAt(i);',
      '    if (c <= 0xff) {',
      '      const t = baseTypes[c];',
      '      if (t === "R" || t === "AL" || t === "AN") return true;',
      '    } else if ((c >= 0x0590 && c <= 0x08ac) || (c >= 0xfb50 && c <= 0xfeff)) {',
      '      return true;',
      '    }',
      '  }',
      '  return false;',
      '}',
      'function bidi(str, startLevel = -1, vertical = false) {',
      '  if (__budgetExtractHooks.fast && str.length !== 0 && !vertical && !mayBeRtl(str)) {',
      '    return createBidiText(str, true);',
      '  }',
      '  let isLTR = true;',
    ),
  ],
  // An OpenType CID font with CFF outlines (FontFile3/OpenType) has its CFF table parsed and
  // compiled again for a renderer (2% of a batch's CPU). The compiled table goes only into the
  // font file a renderer would load; the parse, which gives the glyph count, is kept. (A CID
  // font's Unicode map and widths come from the PDF's CMaps and /W, not from the program.)
  [
    L('        const compiler = new CFFCompiler(cff);', '        tables["CFF "].data = compiler.compile();', '        numGlyphsFromCFF = cff.charStringCount;'),
    L(
      '        if (!(__budgetExtractHooks.fast && properties.composite)) {',
      '          const compiler = new CFFCompiler(cff);',
      '          tables["CFF "].data = compiler.compile();',
      '        }',
      '        numGlyphsFromCFF = cff.charStringCount;',
    ),
  ],
  // A CID font with a built-in CMap (UniGB-UCS2-H, GBK-EUC-H …) and no ToUnicode gets its Unicode
  // map by looking every code of that CMap up in the registry's UCS2 CMap: tens of thousands of
  // lookups per font and document (2.4% of a batch's CPU), with a result that depends only on
  // the two CMaps. Built-in CMaps are parsed once per thread (above), so the map is kept per
  // CMap object and UCS2 name; each font gets its own copy (a font's map can be amended).
  [
    L('      const toUnicode = [],', '        buf = [];', '      properties.cMap.forEach(function (charcode, cid) {'),
    L(
      '      const byUcs2 = __budgetExtractHooks.fast && properties.cMap.builtInCMap ? builtInToUnicode.get(properties.cMap) ?? new Map() : null;',
      '      const known = byUcs2?.get(ucs2CMapName.name);',
      '      if (known) {',
      '        return new ToUnicodeMap(known.slice());',
      '      }',
      '      const toUnicode = [],',
      '        buf = [];',
      '      properties.cMap.forEach(function (charcode, cid) {',
    ),
  ],
  [
    L('          toUnicode[charcode] = String.fromCharCode(...buf);', '        }', '      });', '      return new ToUnicodeMap(toUnicode);'),
    L(
      '          toUnicode[charcode] = String.fromCharCode(...buf);',
      '        }',
      '      });',
      '      if (byUcs2) {',
      '        byUcs2.set(ucs2CMapName.name, toUnicode.slice());',
      '        builtInToUnicode.set(properties.cMap, byUcs2);',
      '      }',
      '      return new ToUnicodeMap(toUnicode);',
    ),
  ],
  // The text pass reads each operator's operands into a new array, not into the last one cut to
  // length 0 (a slow array operation); nothing keeps them past the operator.
  [
    L('      while (!(stop = timeSlotManager.check())) {', '        args.length = 0;', '        operation.args = args;'),
    L('      while (!(stop = timeSlotManager.check())) {', '        if (__budgetExtractHooks.fast) {', '          args = [];', '        } else {', '          args.length = 0;', '        }', '        operation.args = args;'),
  ],
  // A Type 1 font's built-in Encoding maps the 256 one-byte codes to glyph names. A damaged one
  // (`dup 37331805 /d9p put`) made pdf.js set an array element at that code, and then search the
  // sparse array for each glyph's name, index by index: minutes per font
  // (fixtures/fuzz/type1-encoding-index-hang.pdf). A code outside 0–255 can never be shown (a
  // simple font's codes are one byte), so it is dropped.
  [
    L('              const glyph = this.getToken();', '              encoding[index] = glyph;'),
    L('              const glyph = this.getToken();', '              if (index >= 0 && index <= 255) {', '                encoding[index] = glyph;', '              }'),
  ],
  // A built-in CMap (UniGB-UCS2-H, Adobe-GB1-UCS2 …) is parsed once per thread, not once per
  // document: it never changes, and a Chinese disclosure needs the same few (2% of a batch's
  // CPU). A CMap is only written while it is parsed; fonts and usecmap only read it.
  [
    L('async function createBuiltInCMap(name, fetchBuiltInCMap) {', '  if (name === "Identity-H") {'),
    L(
      'const builtInCMaps = new Map();',
      'const builtInToUnicode = new WeakMap(); // see the CID ToUnicode patch',
      'function createBuiltInCMap(name, fetchBuiltInCMap) {',
      '  if (!fetchBuiltInCMap || !BUILT_IN_CMAPS.includes(name)) return parseBuiltInCMap(name, fetchBuiltInCMap);',
      '  let cMap = builtInCMaps.get(name);',
      '  if (!cMap) {',
      '    cMap = parseBuiltInCMap(name, fetchBuiltInCMap);',
      '    builtInCMaps.set(name, cMap);',
      '    cMap.catch(() => builtInCMaps.delete(name));',
      '  }',
      '  return cMap;',
      '}',
      'async function parseBuiltInCMap(name, fetchBuiltInCMap) {',
      '  if (name === "Identity-H") {',
    ),
  ],
  // Every decoder's output buffer (Flate, LZW, ASCII85 …).
  [
    L('  ensureBuffer(requested) {', '    const buffer = this.buffer;', '    if (requested <= buffer.byteLength) {', '      return buffer;', '    }'),
    L('  ensureBuffer(requested) {', '    const buffer = this.buffer;', '    if (requested <= buffer.byteLength) {', '      return buffer;', '    }', '    __budgetExtractHooks.bytes(requested);'),
  ],
];

/** Whether the worker code is patched (all of WORKER_PATCHES applied): the hooks above are
 *  called, and the text pass hands its graphics operators over. */
let workerPatched = false;
/** The first line of the patch anchor not found in pdf.js's worker (then no patch is applied). */
let unpatched: string | null = null;

/** Whether every patch applied to the loaded worker (after a first load); tests require it,
 *  so that a pdf.js update that moves an anchor cannot make the tool slow or unguarded quietly. */
export function workerPatches(): { applied: boolean; missing: string | null } {
  return { applied: workerPatched, missing: unpatched };
}

/** pdf.js's worker module with the limit hooks in. Falls back to the module as published
 *  (without caps beyond time and memory) if its code is not what the patches expect. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function importWorker(): Promise<any> {
  (globalThis as unknown as { __budgetExtractHooks: typeof hooks }).__budgetExtractHooks = hooks;
  try {
    let src = readFileSync(require.resolve('pdfjs-dist/legacy/build/pdf.worker.mjs'), 'utf8');
    for (const [from, to] of WORKER_PATCHES) {
      if (!src.includes(from)) {
        unpatched = from.split('\n')[0]!.trim();
        throw new Error('unexpected pdf.js worker code');
      }
      src = src.split(from).join(to);
    }
    workerPatched = true;
    // One module-level binding: a global lookup per operator would cost more than the count.
    src = 'const __budgetExtractHooks = globalThis.__budgetExtractHooks;\n' + src;
    return await import('data:text/javascript;base64,' + Buffer.from(src).toString('base64'));
  } catch {
    workerPatched = false;
    // @ts-expect-error the worker module has no type declarations
    return import('pdfjs-dist/legacy/build/pdf.worker.mjs');
  }
}

/**
 * pdf.js's canvas code builds a DOMMatrix when its module loads, from @napi-rs/canvas in Node.
 * Where that native module can't load (under `ulimit -v`, on a platform without a binary),
 * loading pdf.js would fail with "DOMMatrix is not defined". Nothing here renders, so a stand-in
 * that can only be constructed is enough then.
 */
function ensureDomMatrix(): void {
  const g = globalThis as unknown as { DOMMatrix?: unknown };
  if (g.DOMMatrix) return;
  try {
    const canvas = require('@napi-rs/canvas') as { DOMMatrix?: unknown };
    if (canvas.DOMMatrix) return; // pdf.js polyfills it from there
  } catch {
    // no native canvas: the stand-in below
  }
  g.DOMMatrix = class DOMMatrixStandIn {
    a = 1;
    b = 0;
    c = 0;
    d = 1;
    e = 0;
    f = 0;
  };
}

/** The subset of DecompressionStream('deflate') pdf.js uses (FlateStream.asyncGetBytes), inflating in one zlib call. */
class InflateStream {
  readonly writable: { getWriter(): unknown };
  readonly readable: AsyncIterable<Uint8Array>;
  constructor(format: string) {
    if (format !== 'deflate') throw new TypeError(`unsupported format: ${format}`);
    const input: Uint8Array[] = [];
    let close!: () => void;
    const closed = new Promise<void>((resolve) => (close = resolve));
    const writer = {
      ready: Promise.resolve(),
      closed,
      write(chunk: Uint8Array) {
        input.push(chunk);
        return Promise.resolve();
      },
      close() {
        close();
        return Promise.resolve();
      },
      releaseLock() {},
    };
    this.writable = { getWriter: () => writer };
    this.readable = {
      async *[Symbol.asyncIterator]() {
        await closed;
        const max = active?.limits.maxStreamBytes;
        let out: Buffer;
        try {
          out = inflateSync(input.length === 1 ? input[0]! : Buffer.concat(input), max ? { maxOutputLength: max } : {});
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE' || !max) throw e;
          // A decompression bomb: nothing of it is read (pdf.js gets an empty stream).
          try {
            hooks.bytes(max + 1); // records the warning
          } catch {
            // expected
          }
          return;
        }
        yield new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
      },
    };
  }
}

/** A FontFace that loads nothing: pdf.js only needs the font "bound" to skip building glyph paths. */
class StubFontFace {
  readonly loaded: Promise<StubFontFace> = Promise.resolve(this);
  constructor(readonly family: string) {}
  load(): Promise<StubFontFace> {
    return this.loaded;
  }
}
/** The document pdf.js "loads" fonts into (FontLoader uses document.fonts.add / delete). */
const FONT_DOCUMENT = { fonts: new Set<unknown>() };

type Listener = (event: { data: unknown }) => void;
// pdf.js's message protocol (pinned 5.4.624): a stream chunk is {stream: StreamKind.ENQUEUE (4), chunk}.
const STREAM_ENQUEUE = 4;
let textOps: Set<number> = new Set();

/** A stream chunk to pass by reference, as a copy of what its sender reuses; null for others.
 *  An operator list's two arrays are emptied after sending: they are copied (without the glyph
 *  arguments of text-drawing operators). A text chunk's sender gives the next chunk new `items`
 *  and `styles` (it never empties or edits the sent ones), and each item is a new object. */
function byReference(chunk: unknown): Record<string, unknown> | null {
  if (!chunk || typeof chunk !== 'object') return null;
  const c = { ...(chunk as Record<string, unknown>) };
  const fn = c.fnArray;
  const args = c.argsArray;
  if (Array.isArray(fn) && Array.isArray(args)) {
    c.fnArray = fn.slice();
    c.argsArray = args.map((a, i) => (textOps.has(fn[i] as number) ? null : a));
    return c;
  }
  return Array.isArray(c.items) ? c : null;
}

/**
 * The channel between pdf.js's API and its worker code, both in this thread: pdf.js's own
 * LoopbackPort structured-clones every message, which for the operator lists and text chunks
 * costs more than building them. This port passes operator-list and text chunks by reference
 * instead (byReference) and drops the glyph arguments of text-drawing operators, which the
 * rulings reader never looks at. Every other message is structured-cloned exactly as
 * LoopbackPort does.
 */
class InThreadPort {
  readonly #listeners = new Map<Listener, (() => void) | null>();
  readonly #deferred = Promise.resolve();

  postMessage(obj: unknown, transfer?: Transferable[] | null): void {
    const m = obj as { stream?: number; chunk?: unknown } | null;
    const chunk = m?.stream === STREAM_ENQUEUE ? byReference(m.chunk) : null;
    const data = chunk ? { ...m, chunk } : structuredClone(obj, transfer ? { transfer } : undefined);
    const event = { data };
    void this.#deferred.then(() => {
      for (const [listener] of this.#listeners) listener.call(this, event);
    });
  }

  addEventListener(name: string, listener: Listener, options?: { signal?: AbortSignal } | null): void {
    let rmAbort: (() => void) | null = null;
    const signal = options?.signal;
    if (signal) {
      if (signal.aborted) return;
      const onAbort = () => this.removeEventListener(name, listener);
      rmAbort = () => signal.removeEventListener('abort', onAbort);
      signal.addEventListener('abort', onAbort);
    }
    this.#listeners.set(listener, rmAbort);
  }

  removeEventListener(_name: string, listener: Listener): void {
    this.#listeners.get(listener)?.();
    this.#listeners.delete(listener);
  }

  terminate(): void {
    for (const [, rmAbort] of this.#listeners) rmAbort?.();
    this.#listeners.clear();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
let workerHandler: any = null;

/** A pdf.js worker (API side and worker side in this thread) on its own InThreadPort. */
function inThreadWorker(lib: PdfJs): { worker: InstanceType<PdfJs['PDFWorker']>; port: InThreadPort } {
  const port = new InThreadPort();
  workerHandler.initializeFromPort(port);
  // verbosity 0 as getDocument would set it (pdf.js warnings otherwise reach the console with --debug).
  const worker = new lib.PDFWorker({ port, verbosity: 0 } as unknown as ConstructorParameters<PdfJs['PDFWorker']>[0]);
  return { worker, port };
}

/** CMap and standard-font files read once per process (pdf.js caches them per document only). */
const fileCache = new Map<string, Promise<Uint8Array>>();
function cachedRead(url: string): Promise<Uint8Array> {
  let p = fileCache.get(url);
  if (!p) {
    p = readFile(url).then((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    p.catch(() => fileCache.delete(url));
    fileCache.set(url, p);
  }
  return p;
}
class CachedCMapReaderFactory {
  constructor(private readonly opts: { baseUrl: string | null; isCompressed: boolean }) {}
  async fetch({ name }: { name: string }): Promise<{ cMapData: Uint8Array; isCompressed: boolean }> {
    if (!this.opts.baseUrl || !name) throw new Error('CMap name and location must be given.');
    const url = this.opts.baseUrl + name + (this.opts.isCompressed ? '.bcmap' : '');
    try {
      // The reply is structured-cloned to the worker, so the cached bytes are never detached.
      return { cMapData: await cachedRead(url), isCompressed: this.opts.isCompressed };
    } catch {
      throw new Error(`Unable to load ${this.opts.isCompressed ? 'binary ' : ''}CMap at: ${url}`);
    }
  }
}
class CachedStandardFontDataFactory {
  constructor(private readonly opts: { baseUrl: string | null }) {}
  async fetch({ filename }: { filename: string }): Promise<Uint8Array> {
    if (!this.opts.baseUrl || !filename) throw new Error('Standard font name and location must be given.');
    const url = `${this.opts.baseUrl}${filename}`;
    try {
      return await cachedRead(url);
    } catch {
      throw new Error(`Unable to load font data at: ${url}`);
    }
  }
}

function errorMessage(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').trim();
}

/** pdf.js's own exception classes (BaseException subclasses) and the errors its parser throws. */
const PDFJS_ERRORS = new Set([
  'XRefEntryException',
  'XRefParseException',
  'FormatError',
  'InvalidPDFException',
  'MissingDataException',
  'UnknownErrorException',
  'ParserEOFException',
]);
let rejectionGuard = false;
/**
 * pdf.js prefetches page dictionaries (Catalog.getPageDict puts `xref.fetchAsync(kid)` promises in
 * a cache) and drops them when it falls back to recovery mode; a broken xref entry then rejects a
 * promise nobody awaits, and Node ends the process on an unhandled rejection. Such orphan pdf.js
 * rejections say nothing the awaited calls don't (they fail or recover on their own), so they are
 * ignored; any other unhandled rejection still ends the process, as by default.
 */
function guardOrphanRejections(): void {
  if (rejectionGuard) return;
  rejectionGuard = true;
  process.on('unhandledRejection', (reason) => {
    if (!orphanPdfjsRejection(reason)) throw reason;
  });
}

/** A rejection pdf.js raised: one of its own exceptions, or its recursive object parser
 *  overflowing the stack on a nesting maxNesting cannot see (fuzz case 589: a string left open
 *  by a flipped bit hid the nested object from the scan, and pdf.js reads each object from its
 *  own offset). Ours are never orphaned; theirs fail the awaited calls too. */
export function orphanPdfjsRejection(reason: unknown): boolean {
  const e = reason as { name?: unknown; stack?: unknown } | null;
  if (typeof e?.name !== 'string') return false;
  if (PDFJS_ERRORS.has(e.name)) return true;
  // The top frame is pdf.js's: the patched worker (a data: URL) or the package's files.
  const top = typeof e.stack === 'string' ? /\n\s+at [^\n]*/.exec(e.stack)?.[0] : undefined;
  return e.name === 'RangeError' && !!top && (top.includes('(data:text/javascript') || top.includes('/pdfjs-dist/'));
}

/** Errors the loader classifies; the CLI maps codes to exit statuses. */
export class PdfLoadError extends Error {
  override name = 'PdfLoadError';
  constructor(
    readonly code: 'encrypted' | 'corrupt' | 'not_pdf' | 'empty' | 'usage',
    message: string,
  ) {
    super(message);
  }
}

export interface LoadOptions {
  password?: string;
  /** Caps (DEFAULT_LIMITS for those not given). */
  limits?: Partial<PdfLimits>;
  /** Skip the ruling lines on every page. */
  textOnly?: boolean;
  /** Where the ruling lines come from: the text pass (default), or pdf.js's operator list, a
   *  second parse of each page: the reference the text pass reproduces (tests compare them). */
  rulingsFrom?: 'text-pass' | 'operator-list';
  /** Read only these 1-based pages (`--pages`); a page past the end is a usage error. */
  pages?: readonly number[];
  /** Read with pdf.js as published where the worker patches only save time: every embedded
   *  font repaired and mapped for a renderer, the text pass's own code (the reference the
   *  default reproduces; tests/font-repair.test.ts and tests/text-pass.test.ts compare them).
   *  BUDGET_EXTRACT_AS_PUBLISHED=1 sets it for a whole run. */
  asPublished?: boolean;
}

/** Deeper than any real PDF (they nest a few levels; PDF 1.7's Annex C advises implementations
 *  to expect no more than 28 levels of q/Q), and well below where pdf.js's recursive parser
 *  overflows the stack (between 5 000 and 10 000 levels). */
const MAX_NESTING = 1000;

const enum Ch {
  LF = 0x0a,
  CR = 0x0d,
  Percent = 0x25,
  LParen = 0x28,
  RParen = 0x29,
  Lt = 0x3c,
  Gt = 0x3e,
  LBracket = 0x5b,
  Backslash = 0x5c,
  RBracket = 0x5d,
  e = 0x65,
  n = 0x6e,
  s = 0x73,
  o = 0x6f,
}

/**
 * The deepest nesting of arrays and dictionaries in the file's objects (outside streams, strings
 * and comments; the count restarts at each `obj`). pdf.js parses objects recursively: an object
 * nested past its stack fails to parse, is not cached, and is parsed again at every use — a file
 * with one such object can take minutes. Those are refused up front as corrupt.
 */
export function maxNesting(data: Uint8Array, limit = MAX_NESTING): number {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let depth = 0;
  let max = 0;
  const n = buf.length;
  for (let i = 0; i < n; i++) {
    const c = buf[i]!;
    if (c === Ch.LBracket) {
      if (++depth > max) max = depth;
    } else if (c === Ch.RBracket) {
      if (depth > 0) depth--;
    } else if (c === Ch.Lt) {
      if (buf[i + 1] === Ch.Lt) {
        i++;
        if (++depth > max) max = depth;
      } else {
        const end = buf.indexOf(Ch.Gt, i + 1); // a hex string
        if (end < 0) break;
        i = end;
      }
    } else if (c === Ch.Gt) {
      if (buf[i + 1] === Ch.Gt) {
        i++;
        if (depth > 0) depth--;
      }
    } else if (c === Ch.LParen) {
      let level = 1; // a literal string: balanced parentheses, backslash escapes
      for (i++; i < n && level > 0; i++) {
        const d = buf[i]!;
        if (d === Ch.Backslash) i++;
        else if (d === Ch.LParen) level++;
        else if (d === Ch.RParen) level--;
        // A string still open at `endobj`: pdf.js reads the next object from its own offset.
        else if (d === Ch.e && buf[i + 1] === Ch.n && buf.toString('latin1', i, i + 6) === 'endobj') break;
      }
      i--;
    } else if (c === Ch.Percent) {
      while (i < n && buf[i] !== Ch.LF && buf[i] !== Ch.CR) i++;
    } else if (c === Ch.s && buf[i + 1] === 0x74 && buf.toString('latin1', i, i + 6) === 'stream') {
      const end = buf.indexOf('endstream', i + 6, 'latin1');
      if (end < 0) break;
      i = end + 8;
    } else if (c === Ch.o && buf[i + 1] === 0x62 && buf[i + 2] === 0x6a) {
      depth = 0; // "obj" / "endobj": a new object
      i += 2;
    }
    if (max > limit) break;
  }
  return max;
}

/** pdf.js itself, loaded as above (for ./render.ts, the other module that uses it). */
export function pdfjsLib(): Promise<PdfJs> {
  return pdfjs();
}

/** Where pdf.js finds CMaps and standard fonts (read once per process), and no eval. */
function resourceOptions() {
  return {
    cMapUrl: CMAP_URL,
    cMapPacked: true,
    standardFontDataUrl: STANDARD_FONT_URL,
    isEvalSupported: false,
    CMapReaderFactory: CachedCMapReaderFactory,
    StandardFontDataFactory: CachedStandardFontDataFactory,
  };
}

/** getDocument options to render pages (./render.ts): glyphs compiled to paths (no font face
 *  in Node), images decoded, pdf.js's own in-thread worker (ours drops the glyphs). */
export function renderOptions(): Record<string, unknown> {
  return {
    ...resourceOptions(),
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
    stopAtErrors: false,
  };
}

/** Load pdf.js now (a batch worker does this before it takes its first file). */
export async function warmUp(): Promise<void> {
  await pdfjs();
}

export async function loadPdf(data: Uint8Array, opts: LoadOptions = {}): Promise<LoadedDocument> {
  if (data.length === 0) throw new PdfLoadError('empty', 'file is empty (0 bytes)');
  const head = Buffer.from(data.subarray(0, 1024)).toString('latin1');
  if (!head.includes('%PDF-')) throw new PdfLoadError('not_pdf', 'not a PDF (no %PDF- header)');
  if (maxNesting(data) > MAX_NESTING) throw new PdfLoadError('corrupt', `damaged: objects nested more than ${MAX_NESTING} levels deep`);
  const lib = await pdfjs();
  const limits: PdfLimits = { ...DEFAULT_LIMITS, ...definedOnly(opts.limits ?? {}) };
  const state: LimitState = {
    limits,
    ops: 0,
    forms: 0,
    hits: new Set(),
    peak: { ops: 0, forms: 0, depth: 0, saves: 0 },
    trueTypeFonts: { repaired: 0, unrepaired: 0 },
  };
  const previous = active;
  const previousFast = hooks.fast;
  active = state;
  hooks.fast = !(opts.asPublished ?? !!process.env.BUDGET_EXTRACT_AS_PUBLISHED);
  try {
    // The empty user password first: a password that is not needed is ignored (a batch with one
    // --password then still opens the files that need none).
    if (opts.password) {
      try {
        return await loadWith(lib, data, { ...opts, password: undefined }, state);
      } catch (e) {
        if (!(e instanceof PdfLoadError && e.code === 'encrypted')) throw e;
      }
    }
    return await loadWith(lib, data, opts, state);
  } finally {
    active = previous;
    hooks.fast = previousFast;
    if (process.env.BUDGET_EXTRACT_DEBUG_LIMITS) process.stderr.write(`limits: ${JSON.stringify({ ...state.peak, trueTypeFonts: state.trueTypeFonts })}\n`);
  }
}

function pageRange(last: number): number[] {
  return Array.from({ length: last }, (_, i) => i + 1);
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

async function loadWith(lib: PdfJs, data: Uint8Array, opts: LoadOptions, state: LimitState): Promise<LoadedDocument> {
  const warnings: string[] = [];
  const { worker, port } = inThreadWorker(lib);
  try {
    const task = lib.getDocument({
      // pdf.js transfers (detaches) the bytes it is given: keep the caller's for a second try.
      data: opts.password === undefined && data.byteLength > 0 ? data.slice() : data,
      worker,
      password: opts.password,
      ...resourceOptions(),
      // Fonts are bound to a stub document instead of being compiled to glyph paths (see pdfjs()).
      disableFontFace: false,
      ownerDocument: FONT_DOCUMENT,
      useSystemFonts: false,
      // Images are never decoded: nothing here looks at them (0 = drop every image from the
      // operator list; pdf.js only warns, which stays silent at verbosity 0).
      maxImageSize: 0,
      verbosity: 0,
      stopAtErrors: false,
    } as unknown as Parameters<PdfJs['getDocument']>[0]);
    let doc;
    try {
      doc = await task.promise;
    } catch (e) {
      await task.destroy().catch(() => undefined);
      const err = e as { name?: string; message?: string; code?: number };
      if (err.name === 'PasswordException') {
        throw new PdfLoadError(
          'encrypted',
          opts.password ? 'encrypted; the password given is wrong' : 'encrypted; pass --password',
        );
      }
      throw new PdfLoadError('corrupt', `cannot be read as a PDF (${errorMessage(e)})`);
    }
    try {
      // A page tree that counts no pages (or fewer than none, /Count -5) is broken, not empty.
      if (!(doc.numPages >= 1)) throw new PdfLoadError('corrupt', `page tree is broken (it counts ${doc.numPages} pages)`);
      const meta = await doc.getMetadata().catch(() => null);
      const infoDict = (meta?.info ?? {}) as Record<string, unknown>;
      const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
      const pages: PageData[] = [];
      const last = Math.min(doc.numPages, state.limits.maxPages);
      if (last < doc.numPages) warnings.push(`only the first ${last} of ${doc.numPages} pages were read (--max-pages)`);
      const past = opts.pages?.find((p) => p > doc.numPages);
      if (past !== undefined) throw new PdfLoadError('usage', `--pages: page ${past} is past the last page (${doc.numPages})`);
      for (const i of opts.pages?.filter((p) => p <= last) ?? pageRange(last)) {
        let page;
        try {
          page = await doc.getPage(i);
        } catch (e) {
          if (i === (opts.pages?.[0] ?? 1)) throw new PdfLoadError('corrupt', `page tree is broken (${errorMessage(e)})`);
          warnings.push(`page ${i} could not be read: ${errorMessage(e)}`);
          continue;
        }
        state.hits.clear();
        try {
          pages.push(await readPage(lib, page, i, opts, warnings, state));
        } catch (e) {
          // A damaged content stream (or one nested past the stack) loses that page, not the file.
          warnings.push(`page ${i} could not be read: ${errorMessage(e)}`);
        }
        for (const hit of state.hits) warnings.push(`page ${i}: ${hit}`);
        page.cleanup();
        // pdf.js chains microtasks only: without this the thread's timers (the batch worker's memory
        // sampling) would not run until the whole document is read.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (!pages.length) throw new PdfLoadError('corrupt', `no page can be read (${warnings[0] ?? 'no pages'})`);
      return {
        info: { pages: doc.numPages, producer: str(infoDict.Producer) ?? str(infoDict.Creator), title: str(infoDict.Title) },
        pages: dropWatermarks(pages),
        warnings,
        trueTypeFonts: state.trueTypeFonts,
      };
    } finally {
      await doc.destroy().catch(() => undefined);
    }
  } finally {
    worker.destroy();
    port.terminate();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function readPage(lib: PdfJs, page: any, index: number, opts: LoadOptions, warnings: string[], state: LimitState): Promise<PageData> {
  const viewport = page.getViewport({ scale: 1 });
  const vt = viewport.transform as Matrix;
  const pass = <T>(fn: () => Promise<T>): Promise<T> => {
    state.ops = 0;
    state.forms = 0;
    return fn().finally(() => {
      state.peak.ops = Math.max(state.peak.ops, state.ops);
      state.peak.forms = Math.max(state.peak.forms, state.forms);
    });
  };
  // The ruling lines come from the text pass's own reading of the content stream (rulings.ts),
  // not from a second parse for the operator list.
  const rulingOps = rulingOpsOf(lib);
  const replay = !opts.textOnly && workerPatched && opts.rulingsFrom !== 'operator-list' ? new OperatorReplay(rulingOps, new RulingReader(rulingOps, vt, viewport.width, viewport.height)) : null;
  hooks.gfx = replay?.op ?? null;
  hooks.gfxForm = replay?.formBegin ?? null;
  hooks.gfxFormEnd = replay?.formEnd ?? null;
  hooks.gfxFormFail = replay?.formFail ?? null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let content: any;
  try {
    content = await pass(() => page.getTextContent({ disableNormalization: false }));
  } finally {
    hooks.gfx = hooks.gfxForm = hooks.gfxFormEnd = hooks.gfxFormFail = null;
  }
  const runs: TextRun[] = [];
  for (const item of content.items as Array<{ str?: string; transform: Matrix; width: number; height: number; fontName: string }>) {
    if (typeof item.str !== 'string' || !item.str.trim()) continue;
    const m = mul(vt, item.transform);
    // Text direction in viewport space; keep only (near) horizontal text: vertical or rotated
    // runs are watermarks or axis labels, never table cells.
    const scaleX = Math.hypot(m[0], m[1]);
    const size = Math.hypot(m[2], m[3]);
    if (scaleX === 0 || Math.abs(m[1]) > 0.1 * scaleX) {
      continue;
    }
    const text = normalizeText(item.str);
    if (!text.trim()) continue;
    const w = item.width * (scaleX / Math.hypot(item.transform[0], item.transform[1]) || 1);
    runs.push(...splitRun({ text, x: m[4], y: m[5], w: Math.abs(w), size, font: item.fontName }));
  }
  let rulings: { hLines: Segment[]; vLines: Segment[] } = { hLines: [], vLines: [] };
  if (replay && !replay.inexact && !(await drawsAnnotations(page))) rulings = replay.reader;
  else if (!opts.textOnly) {
    try {
      rulings = await pass(async () => {
        const reader = new RulingReader(rulingOps, vt, viewport.width, viewport.height);
        const ops = await page.getOperatorList();
        reader.readOperatorList(ops.fnArray, ops.argsArray);
        return reader;
      });
    } catch (e) {
      warnings.push(`page ${index}: ruling lines could not be read: ${errorMessage(e)}`);
    }
  }
  const { hLines, vLines } = rulings;
  return {
    index,
    width: viewport.width,
    height: viewport.height,
    rotate: page.rotate ?? 0,
    runs: dedupeRuns(runs),
    hLines,
    vLines,
  };
}

/** One text item can hold two cells' text separated by spaces (`27,664.22 一、一般公共服务支出`):
 *  split it, placing each piece by the estimated widths of its characters (Han and
 *  full-width forms one em, others half). */
export function splitRun(r: TextRun): TextRun[] {
  const t = r.text.trim();
  if (!/\s/.test(t)) return [{ ...r, text: t }];
  const em = (c: string) => (/[\u2e80-\u9fff\uf900-\uffef（）：，。、“”]/.test(c) ? 1 : 0.5);
  const chars = [...r.text];
  const total = chars.reduce((n, c) => n + em(c), 0) || 1;
  const unit = r.w / total;
  const out: TextRun[] = [];
  let x = r.x;
  let cur = '';
  let start = x;
  for (const c of chars) {
    if (/\s/.test(c)) {
      if (cur) out.push({ ...r, text: cur, x: start, w: x - start });
      cur = '';
      x += em(c) * unit;
      start = x;
      continue;
    }
    if (!cur) start = x;
    cur += c;
    x += em(c) * unit;
  }
  if (cur) out.push({ ...r, text: cur, x: start, w: x - start });
  return out;
}

/** Fake-bold generators draw a run twice at (almost) the same origin. */
function dedupeRuns(runs: TextRun[]): TextRun[] {
  const seen = new Set<string>();
  const out: TextRun[] = [];
  for (const r of runs) {
    const k = `${r.text}|${Math.round(r.x)}|${Math.round(r.y)}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(r);
  }
  return out;
}

/** Whether the page's operator list would draw annotation appearances after its content
 *  (stamps, form fields): those are read from the operator list, which has them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function drawsAnnotations(page: any): Promise<boolean> {
  try {
    const annots = (await page.getAnnotations()) as Array<{ hasAppearance?: boolean }>;
    return annots.some((a) => a.hasAppearance);
  } catch {
    return true;
  }
}

let rulingOps: RulingOps | null = null;
function rulingOpsOf(lib: PdfJs): RulingOps {
  if (rulingOps) return rulingOps;
  const O = lib.OPS as unknown as Record<keyof RulingOps, number>;
  const keys: Array<keyof RulingOps> = [
    'save', 'restore', 'transform', 'moveTo', 'lineTo', 'curveTo', 'curveTo2', 'curveTo3', 'closePath', 'rectangle',
    'stroke', 'closeStroke', 'fill', 'eoFill', 'fillStroke', 'eoFillStroke', 'closeFillStroke', 'closeEOFillStroke', 'endPath',
    'setGState', 'constructPath', 'paintFormXObjectBegin', 'paintFormXObjectEnd',
  ];
  rulingOps = Object.fromEntries(keys.map((k) => [k, O[k]])) as unknown as RulingOps;
  return rulingOps;
}
