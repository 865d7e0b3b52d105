import { describe, expect, it } from 'vitest';
import { readCell } from './values.ts';

const value = (field: Parameters<typeof readCell>[0], text: string) => {
  const c = readCell(field, text);
  return c.kind === 'value' ? c.value : c.kind;
};

describe('reading survey cells', () => {
  it('tells empty (keep) from unknown (not known), in English and Indonesian', () => {
    expect(value('provider', '  ')).toBe('empty');
    expect(value('provider', 'Unknown')).toBe('unknown');
    expect(value('provider', 'tidak diketahui')).toBe('unknown');
    expect(value('status', 'TIDAK DIKETAHUI')).toBe('unknown');
  });

  it('accepts Indonesian status and technology words', () => {
    expect(['terhubung', 'Belum', 'proses', 'in progress', 'not_connected', 'connected'].map((s) => value('status', s))).toEqual([
      'connected',
      'not-connected',
      'in-progress',
      'in-progress',
      'not-connected',
      'connected',
    ]);
    expect(['Fiber Optik', 'kabel', 'satelit', '4G', 'lainnya'].map((s) => value('technology', s))).toEqual(['fibre', 'cable', 'vsat', '4g', 'other']);
  });

  it('says what a bad value is, with a near miss', () => {
    expect(() => readCell('status', 'terhubng')).toThrow('"terhubng" is not a status');
    try {
      readCell('status', 'terhubng');
    } catch (e) {
      expect((e as { hint: string }).hint).toMatch(/^did you mean "terhubung"\?/);
    }
  });

  it('reads ISO and day-first dates, and refuses impossible ones', () => {
    expect(value('connectedOn', '2023-05-01')).toBe('2023-05-01');
    expect(value('connectedOn', '1/5/2023')).toBe('2023-05-01');
    expect(() => readCell('connectedOn', '2023-02-30')).toThrow('"2023-02-30" is not a date');
    expect(() => readCell('connectedOn', '05/13/2023')).toThrow('is not a date');
  });

  it('reads numbers as spreadsheets write them', () => {
    expect(value('bandwidthMbps', '20,5')).toBe(20.5);
    expect(value('bandwidthMbps', '100 Mbps')).toBe(100);
    expect(value('uptimePercent', '99.5%')).toBe(99.5);
    expect(() => readCell('uptimePercent', '101')).toThrow('101% is more than 100%');
    expect(() => readCell('outages', '1.5')).toThrow('not a whole number');
    expect(() => readCell('bandwidthMbps', '0')).toThrow('out of range');
  });

  it('reads numbers as Indonesians write them: "." groups thousands, "," marks the decimals', () => {
    expect(value('bandwidthMbps', '1.000')).toBe(1000);
    expect(value('bandwidthMbps', '1.000 Mbps')).toBe(1000);
    expect(value('bandwidthMbps', '10.000')).toBe(10000);
    expect(value('bandwidthMbps', '1.500,5')).toBe(1500.5);
    expect(value('uptimePercent', '99,5')).toBe(99.5);
    expect(value('uptimePercent', '99,95 %')).toBe(99.95);
    // A point followed by other than three digits cannot be a thousands separator: a decimal point.
    expect(value('uptimePercent', '99.5')).toBe(99.5);
    expect(value('bandwidthMbps', '0.5')).toBe(0.5);
    expect(value('outages', '1.200')).toBe(1200);
  });

  it('refuses a number that could be read two ways, and says both readings', () => {
    // 1,000: a thousand to an English spreadsheet, one (with three decimals) to an Indonesian reader.
    expect(() => readCell('bandwidthMbps', '1,000')).toThrow('"1,000" could be 1000 or 1');
    expect(() => readCell('bandwidthMbps', '1,000.5')).toThrow('is not a number as Indonesians write it');
    expect(() => readCell('bandwidthMbps', '1.00.0')).toThrow('is not a number');
    try {
      readCell('bandwidthMbps', '2,500');
    } catch (e) {
      expect((e as { hint: string }).hint).toBe('For 2500 write 2.500 or 2500; for 2.5 write 2,5.');
    }
    // Read as Indonesian, 99.999 is ninety-nine thousand: out of range, and the message says how it was read.
    expect(() => readCell('uptimePercent', '99.999')).toThrow('"99.999" is 99999 (a point separates thousands), more than 100%');
  });

  it('reads a period with .. or s/d, and refuses one that ends before it starts', () => {
    expect(value('period', '2024-01-01..2024-03-31')).toBe('2024-01-01..2024-03-31');
    expect(value('period', '01/01/2024 s/d 31/03/2024')).toBe('2024-01-01..2024-03-31');
    expect(() => readCell('period', '2024-03-31..2024-01-01')).toThrow('starts (2024-03-31) after it ends (2024-01-01)');
  });
});
