import { describe, expect, it } from 'vitest';
import { convertUnit, parseAmount, scaleOf } from '../src/amounts.js';

describe('parseAmount', () => {
  it.each([
    ['9115.55', '9115.55'], // 怀仁市公安局 一般公共预算, 万元
    ['8,190.02', '8190.02'],
    ['1,234,567.89', '1234567.89'],
    ['1234.5', '1234.5'],
    ['936647884.3', '936647884.3'], // Excel "General" number keeps its printed precision
    ['200000', '200000'],
    ['-12.00', '-12.00'],
    ['（12.00）', '-12.00'],
    ['(12.00)', '-12.00'],
    ['(1,234.50)', '-1234.50'],
    ['－3.20', '-3.20'],
    ['−3.20', '-3.20'],
    ['１２３．４５', '123.45'],
    ['１，２３４．５６', '1234.56'],
    ['1，234.56', '1234.56'],
    [' 114.95 ', '114.95'],
    ['1 234.56', '1234.56'], // pdf.js synthesised space inside a number
    ['007.10', '7.10'],
    ['.5', '0.5'],
    ['0', '0'],
    ['0.00', '0.00'],
    ['(0.00)', '0.00'],
    ['1.23457E+11', '123457000000'],
  ])('%j → %s', (text, value) => {
    expect(parseAmount(text)).toEqual({ value, kind: 'number' });
  });

  it.each(['-', '—', '–', '－', '——', '--', ' - '])('%j is a printed zero', (text) => {
    expect(parseAmount(text)).toEqual({ value: '0.00', kind: 'zero_dash' });
  });

  it.each(['', '   ', '\u3000', null, undefined])('%j is blank', (text) => {
    expect(parseAmount(text)).toEqual({ value: null, kind: 'blank' });
  });

  it.each(['合计', '12%', '200000元', '1.2.3', '12-3', ',', '.', '1,', ',1', '(12', 'E5', '一'])('%j is not an amount', (text) => {
    expect(parseAmount(text)).toBeNull();
  });
});

describe('convertUnit', () => {
  it('万元 → 元 is exact and keeps the printed scale', () => {
    expect(convertUnit('9115.55', '万元', '元')).toBe('91155500.00');
    expect(convertUnit('114.95', '万元', '元')).toBe('1149500.00');
    expect(convertUnit('0.01', '万元', '元')).toBe('100.00');
    expect(convertUnit('20', '万元', '元')).toBe('200000');
    expect(convertUnit('0.00', '万元', '元')).toBe('0.00');
    expect(convertUnit('-12.3456', '万元', '元')).toBe('-123456.0000');
  });

  it('元 → 万元 divides exactly, never rounds', () => {
    expect(convertUnit('200000', '元', '万元')).toBe('20');
    expect(convertUnit('91155500.00', '元', '万元')).toBe('9115.55');
    expect(convertUnit('12345.67', '元', '万元')).toBe('1.234567');
    expect(convertUnit('936647884.3', '元', '万元')).toBe('93664.78843');
    expect(convertUnit('100.00', '元', '万元')).toBe('0.01');
    expect(convertUnit('5', '元', '万元')).toBe('0.0005');
    expect(convertUnit('0', '元', '万元')).toBe('0');
    expect(convertUnit('-0.01', '元', '万元')).toBe('-0.000001');
  });

  it('千元', () => {
    expect(convertUnit('12.3', '千元', '元')).toBe('12300.0');
    expect(convertUnit('12.3', '千元', '万元')).toBe('1.23');
  });

  it('round-trips', () => {
    for (const v of ['9115.55', '0.01', '936647884.3', '-7.5', '0']) {
      expect(convertUnit(convertUnit(v, '万元', '元'), '元', '万元')).toBe(v.includes('.') ? v : v);
    }
  });

  it('same unit is the identity; rejects non-decimal strings', () => {
    expect(convertUnit('1.50', '元', '元')).toBe('1.50');
    expect(() => convertUnit('1,000', '元', '万元')).toThrow(RangeError);
  });

  it('scaleOf', () => {
    expect(scaleOf('12.50')).toBe(2);
    expect(scaleOf('7')).toBe(0);
  });
});

import { convertUnit as convertExact } from '../src/amounts.js';
import { it as itExact, expect as expectExact } from 'vitest';
itExact('convertUnit never rounds a figure longer than 20 significant digits', () => {
  expectExact(convertExact('123456789012345678901234.56', '万元', '元')).toBe('1234567890123456789012345600.00');
  expectExact(convertExact('1234567890123456789012345.67', '元', '万元')).toBe('123456789012345678901.234567');
});
