/** A small PDF from object bodies: `objects[i]` is object i + 1, object 1 the catalog; an
 *  undefined entry is a free object. Bodies are latin1 text or bytes (a stream's data). */
export type PdfBody = string | Buffer | Array<string | Buffer>;

export function buildPdf(objects: Array<PdfBody | undefined>): Uint8Array {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n', 'latin1')];
  let length = parts[0]!.length;
  const offsets: Array<number | undefined> = [];
  objects.forEach((body, i) => {
    if (body === undefined) return;
    offsets[i + 1] = length;
    for (const p of [`${i + 1} 0 obj\n`, ...(Array.isArray(body) ? body : [body]), '\nendobj\n']) {
      const b = typeof p === 'string' ? Buffer.from(p, 'latin1') : p;
      parts.push(b);
      length += b.length;
    }
  });
  const size = objects.length + 1;
  let xref = `xref\n0 ${size}\n0000000000 65535 f \n`;
  for (let n = 1; n < size; n++) xref += offsets[n] === undefined ? '0000000000 65535 f \n' : `${String(offsets[n]).padStart(10, '0')} 00000 n \n`;
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${size} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`, 'latin1'));
  return new Uint8Array(Buffer.concat(parts));
}

/** A stream object's body. */
export const stream = (data: string | Buffer, dict = ''): Array<string | Buffer> => {
  const b = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  return [`<< /Length ${b.length}${dict ? ' ' + dict : ''} >>\nstream\n`, b, '\nendstream'];
};

/** The Helvetica font dictionary pagesPdf uses by default. */
export const HELVETICA = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';

/** One page per content stream, fonts F1… given as dictionaries (objects 3… in order), then
 *  `extra` objects (numbered on from the fonts) that the fonts can refer to. */
export function pagesPdf(contents: string[], fonts: PdfBody[] = [HELVETICA], extra: PdfBody[] = []): Uint8Array {
  const head: PdfBody[] = ['<< /Type /Catalog /Pages 2 0 R >>', '', ...fonts, ...extra];
  const first = head.length + 1;
  const pageIds = contents.map((_, i) => first + 2 * i);
  head[1] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${contents.length} >>`;
  const fontRes = fonts.map((_, i) => `/F${i + 1} ${3 + i} 0 R`).join(' ');
  const pages = contents.flatMap((c, i) => [
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << ${fontRes} >> >> /Contents ${pageIds[i]! + 1} 0 R >>`,
    stream(c),
  ]);
  return buildPdf([...head, ...pages]);
}
