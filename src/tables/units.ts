/** `--unit yuan|wan`: convert every amount exactly (decimal.js; 1 万元 = 10000 元). */
import { Decimal } from 'decimal.js';
import type { Table, Unit } from '../model.js';

const PER_YUAN: Record<Unit, number> = { 元: 1, 千元: 1000, 万元: 10000 };

export function convertValue(v: string, from: Unit, to: Unit): string {
  if (from === to) return v;
  const d = new Decimal(v).mul(PER_YUAN[from]).div(PER_YUAN[to]);
  return d.toFixed();
}

export function convertTables(tables: Table[], to: Unit): Table[] {
  return tables.map((t) => {
    const from = t.unit;
    if (!from || from === to) return t;
    return {
      ...t,
      unit: to,
      rows: t.rows.map((r) => ({
        ...r,
        values: Object.fromEntries(Object.entries(r.values).map(([k, v]) => [k, convertValue(v, from, to)])),
      })),
    };
  });
}
