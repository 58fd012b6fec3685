/** Which documents of a batch are a budget and a 决算 of one department and year (`batch
 *  --pair-by department+year`). Pure: identities in, pairs and the unpaired (with why) out. */
import type { Document } from '../model.js';
import { normName } from '../checks/names.js';

export const PAIR_KEYS = ['department+year'] as const;
export type PairKey = (typeof PAIR_KEYS)[number];

export interface Paired<T> {
  department: string;
  fiscalYear: number;
  budget: T;
  final: T;
}

export interface Unpaired<T> {
  item: T;
  reason: string;
}

/** Pairs one budget with one 决算 of the same department (names compared without spaces and
 *  ordinal marks) and fiscal year; anything else is unpaired, saying why. */
export function pairByDepartmentYear<T>(items: T[], doc: (t: T) => Pick<Document, 'document'>): { pairs: Paired<T>[]; unpaired: Unpaired<T>[] } {
  const groups = new Map<string, { department: string; fiscalYear: number; budget: T[]; final: T[] }>();
  const unpaired: Unpaired<T>[] = [];
  for (const item of items) {
    const d = doc(item).document;
    if (!d.department || d.fiscalYear === null || d.fiscalYear === undefined) {
      unpaired.push({ item, reason: 'no department or fiscal year read' });
      continue;
    }
    if (d.kind !== 'budget' && d.kind !== 'final_accounts') {
      unpaired.push({ item, reason: 'neither a 部门预算 nor a 部门决算' });
      continue;
    }
    const key = `${normName(d.department)}|${d.fiscalYear}`;
    const g = groups.get(key) ?? { department: d.department, fiscalYear: d.fiscalYear, budget: [], final: [] };
    (d.kind === 'budget' ? g.budget : g.final).push(item);
    groups.set(key, g);
  }
  const pairs: Paired<T>[] = [];
  for (const g of groups.values()) {
    if (g.budget.length === 1 && g.final.length === 1) {
      pairs.push({ department: g.department, fiscalYear: g.fiscalYear, budget: g.budget[0]!, final: g.final[0]! });
      continue;
    }
    const what = `${g.department} ${g.fiscalYear}`;
    const reason = !g.final.length
      ? `no 部门决算 of ${what} among the inputs`
      : !g.budget.length
        ? `no 部门预算 of ${what} among the inputs`
        : `${g.budget.length} 部门预算 and ${g.final.length} 部门决算 of ${what}: which pair is meant is not known`;
    for (const item of [...g.budget, ...g.final]) unpaired.push({ item, reason });
  }
  return { pairs, unpaired };
}
