/** `--unit yuan|wan`: every table's amounts in one unit, converted exactly (src/amounts.ts). */
import { convertUnit } from '../amounts.js';
import type { Table, Unit } from '../model.js';

export function convertTables(tables: Table[], to: Unit): Table[] {
  return tables.map((t) => {
    const from = t.unit;
    if (!from || from === to) return t;
    return {
      ...t,
      unit: to,
      rows: t.rows.map((r) => ({
        ...r,
        values: Object.fromEntries(Object.entries(r.values).map(([k, v]) => [k, convertUnit(v, from, to)])),
      })),
    };
  });
}
