import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.ts';

describe('parseCsv', () => {
  it('knows the line and column of every cell, across quoted line breaks, blank lines and CRLF', () => {
    const t = parseCsv('kode,catatan\r\n32.16.06.2002,"two\r\nlines"\r\n\r\n32.16.06.2003,x\r\n', 's.csv');
    expect(t.problems).toEqual([]);
    expect(t.rows.map((r) => [r.line, r.cells, r.at[1]])).toEqual([
      [2, ['32.16.06.2002', 'two\nlines'], { line: 2, column: 15 }],
      [5, ['32.16.06.2003', 'x'], { line: 5, column: 15 }],
    ]);
  });

  it('takes the delimiter from the header: semicolons as Indonesian Excel writes', () => {
    const t = parseCsv('\uFEFFkode;bandwidth_mbps\n32.16.06.2002;"20,5"\n', 's.csv');
    expect(t.header.cells).toEqual(['kode', 'bandwidth_mbps']);
    expect(t.rows[0]!.cells).toEqual(['32.16.06.2002', '20,5']);
  });

  it('reports rows with the wrong number of cells, and unreadable quoting, by line', () => {
    expect(parseCsv('kode,status\n32.16.06.2002,a,b\n', 's.csv').problems).toMatchObject([{ line: 2, message: '3 cells, but the header has 2' }]);
    expect(parseCsv('kode,status\n32.16.06.2002,"open\n', 's.csv').problems).toMatchObject([{ file: 's.csv', message: expect.stringMatching(/^not readable as CSV/) }]);
  });
});
