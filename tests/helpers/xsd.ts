/** Validation of XML output against schemas/budget-extract.xsd with xmllint-wasm (libxml2
 *  compiled to WebAssembly: a devDependency without native build). Null when the package is
 *  not installed (a node_modules from before it was added): the callers skip, saying so. */
import { readFileSync } from 'node:fs';

const XSD = readFileSync(new URL('../../schemas/budget-extract.xsd', import.meta.url), 'utf8');

type Validate = (o: unknown) => Promise<{ valid: boolean; errors: Array<{ rawMessage?: string; message?: string }> }>;
let validate: Validate | null | undefined;

export async function xsdValidator(): Promise<((xml: string) => Promise<string[]>) | null> {
  if (validate === undefined) {
    try {
      validate = ((await import('xmllint-wasm')) as unknown as { validateXML: Validate }).validateXML;
    } catch {
      validate = null;
    }
  }
  const v = validate;
  if (!v) return null;
  return async (xml: string) => {
    const r = await v({
      xml: [{ fileName: 'output.xml', contents: xml }],
      schema: [{ fileName: 'budget-extract.xsd', contents: XSD }],
      maxMemoryPages: 16384,
    });
    return r.valid ? [] : r.errors.map((e) => e.rawMessage ?? e.message ?? String(e));
  };
}
