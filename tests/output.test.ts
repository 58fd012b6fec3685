import { describe, expect, it } from 'vitest';
import { Document } from '../src/model.js';
import { toJson } from '../src/output/json.js';
import { parseXml, toXml, XmlFormatError } from '../src/output/xml.js';
import { sampleDocument } from './helpers/sample.js';

function minimal(): Document {
  return {
    schemaVersion: 1,
    source: { file: 'x.pdf', sha256: '0'.repeat(64), pages: 1, producer: null },
    document: { title: null, department: null, fiscalYear: null, kind: null },
    tables: [],
    warnings: [],
  };
}

describe('JSON', () => {
  it('pretty by default, one line with pretty: false; parses back to the same data', () => {
    const doc = sampleDocument();
    const pretty = toJson(doc);
    const compact = toJson(doc, { pretty: false });
    expect(pretty).toContain('\n  "source": {');
    expect(compact.trimEnd()).not.toContain('\n');
    expect(compact.endsWith('\n')).toBe(true);
    expect(JSON.parse(pretty)).toEqual(doc);
    expect(JSON.parse(compact)).toEqual(doc);
  });
});

describe('XML', () => {
  it('round-trips a realistic document (13 tables of the seed disclosure) to deep-equal data', () => {
    const doc = Document.parse(sampleDocument());
    const xml = toXml(doc);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<budgetExtract')).toBe(true);
    const back = parseXml(xml);
    expect(back).toEqual(doc);
    // Same JSON text too: key order follows the model, as zod's parse output does.
    expect(JSON.stringify(back)).toBe(JSON.stringify(doc));
    expect(parseXml(toXml(doc, { pretty: false }))).toEqual(doc);
  });

  it('uses attributes for scalars that are never null, elements for those that can be (xsi:nil when null), <value field> for amounts', () => {
    const xml = toXml(sampleDocument());
    expect(xml).toContain('<document>\n    <title>2025年度部门预算公开</title>\n    <department>怀仁市公安局</department>\n    <fiscalYear>2025</fiscalYear>\n    <kind>budget</kind>\n  </document>');
    expect(xml).toMatch(/<row key="204" name="公共安全支出" page="\d+">\s*<code>204<\/code>\s*<level>1<\/level>\s*<side xsi:nil="true"\/>/);
    // A null code sits where a code does: an element, never an attribute.
    expect(xml).toMatch(/<row key="合计" name="合计" page="\d+">\s*<code xsi:nil="true"\/>/);
    expect(xml).not.toMatch(/<row [^>]*code=/);
    expect(xml).toContain('<value field="general_budget">8190.02</value>');
    expect(xml).toContain('<pages>\n');
  });

  it('keeps numbers as numbers and numeric-looking strings as strings', () => {
    const doc = minimal();
    doc.tables.push({
      id: 'income_summary', number: '2', title: '0123', department: '007', unit: '元', pages: [7], empty: false,
      columns: [{ field: 'total', header: '1' }],
      rows: [{ key: '204', code: '204', name: '2040101', level: 3, side: null, page: 7, values: { total: '0012.50' } }],
    });
    const back = parseXml(toXml(doc));
    expect(back).toEqual(doc);
    expect(typeof back.tables[0]!.rows[0]!.level).toBe('number');
    expect(back.tables[0]!.rows[0]!.code).toBe('204');
    expect(back.tables[0]!.pages).toEqual([7]); // an array of one element stays an array
  });

  it('keeps empty arrays, empty records, empty strings, absent vs null optional fields', () => {
    const doc = minimal();
    doc.tables.push({
      id: 'gov_fund_income', number: null, title: '', department: null, unit: null, pages: [], empty: true, columns: [], rows: [],
    });
    doc.tables.push({
      id: 'general_budget_basic', number: null, title: 't', department: null, unit: '万元', pages: [1, 2], empty: false,
      columns: [{ field: 'total', header: '' }],
      rows: [
        { key: 'a', code: null, name: 'a', level: null, side: null, page: 1, values: {} },
        { key: 'b', code: null, name: 'b', level: null, side: null, gov_name: null, group: null, page: 1, values: { total: '1' } },
        { key: 'c', code: '30101', name: '基本工资', level: 2, side: null, gov_name: '工资奖金津补贴', gov_code: '50101', group: 0, page: 2, values: { total: '-1.5' } },
      ],
    });
    const back = parseXml(toXml(doc));
    expect(back).toEqual(doc);
    expect('gov_name' in back.tables[1]!.rows[0]!).toBe(false);
    expect(back.tables[1]!.rows[1]!.gov_name).toBeNull();
    expect(back.checks).toBeUndefined();
  });

  it('carries strings XML cannot hold verbatim, qualified field ids and XML metacharacters', () => {
    const doc = minimal();
    doc.document.title = '  2025年 部门预算\n（草案）\t';
    doc.source.producer = 'A & B <"Writer"> \'7\'';
    doc.warnings.push({ code: 'pdf', message: 'bad glyph \u0000\u0001\u001f\ufffe lone \ud800 here', page: null });
    doc.warnings.push({ code: 'long', message: '很长的说明'.repeat(100), page: 2 });
    doc.tables.push({
      id: 'unknown', number: null, title: '其他表', department: null, unit: '元', pages: [3], empty: false,
      columns: [{ field: 'general_budget', header: 'a/b & <一般公共预算拨款>' }],
      rows: [{ key: ' k&<>"', code: null, name: '甲\n乙', level: null, side: 'income', page: 3, values: { general_budget: '5', col2: '6', prior_total: '7', prior_carryover_general_budget: '8' } }],
    });
    const back = parseXml(toXml(doc));
    expect(back).toEqual(doc);
  });

  it('field and table ids are the contract\'s (enums, qualified ids, col<N>): others are rejected', () => {
    const doc = minimal();
    const t = { id: 'unknown', number: null, title: '', department: null, unit: null, pages: [], empty: false, columns: [], rows: [] };
    const row = { key: 'k', code: null, name: '甲', level: null, side: null, page: 3 };
    expect(Document.safeParse({ ...doc, tables: [{ ...t, rows: [{ ...row, values: { col12: '1', carryover_basic: '2' } }] }] }).success).toBe(true);
    expect(Document.safeParse({ ...doc, tables: [{ ...t, rows: [{ ...row, values: { 一般公共预算拨款: '1' } }] }] }).success).toBe(false);
    expect(Document.safeParse({ ...doc, tables: [{ ...t, columns: [{ field: 'col 2', header: '' }] }] }).success).toBe(false);
    expect(Document.safeParse({ ...doc, tables: [{ ...t, id: 'budget_summery' }] }).success).toBe(false);
  });

  it('rejects XML that is not budget-extract output', () => {
    expect(() => parseXml('<?xml version="1.0"?><other/>')).toThrow(XmlFormatError);
    const bad = toXml(minimal()).replace('pages="1"', 'pages="many"');
    expect(() => parseXml(bad)).toThrow();
  });
});
