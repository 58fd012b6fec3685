/** A numeric cell's text → the printed figure as a plain decimal string (no separators),
 *  or null for a blank or non-numeric cell. Parsing is src/amounts.ts's; no arithmetic here. */
import { parseAmount } from '../amounts.js';

export function cellAmount(text: string): string | null {
  return parseAmount(text)?.value ?? null;
}
