import { describe, expect, it } from 'vitest';
import { CsvParser, csvObjects, csvRecords, parseCsv } from '../server/domain/csv.ts';

describe('parseCsv', () => {
  it('parses simple rows', () => {
    expect(parseCsv('a,b,c\n1,2,3\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
  });

  it('handles a missing final newline and empty fields', () => {
    expect(parseCsv('a,,c\n,,')).toEqual([
      ['a', '', 'c'],
      ['', '', ''],
    ]);
  });

  it('handles quoted fields with commas, doubled quotes and embedded newlines', () => {
    const text = 'id,text\n1,"hello, ""world"""\n2,"line one\nline two\r\nline three"\n3,""\n';
    expect(parseCsv(text)).toEqual([
      ['id', 'text'],
      ['1', 'hello, "world"'],
      ['2', 'line one\nline two\r\nline three'],
      ['3', ''],
    ]);
  });

  it('handles CRLF line ends and a UTF-8 BOM', () => {
    expect(parseCsv('\uFEFFname,n\r\nx,1\r\ny,2\r\n')).toEqual([
      ['name', 'n'],
      ['x', '1'],
      ['y', '2'],
    ]);
  });

  it('skips blank lines and supports another delimiter', () => {
    expect(parseCsv('a;b\n\n1;2\n', ';')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('keeps quotes that appear inside an unquoted field', () => {
    expect(parseCsv('5" screen,ok\n')).toEqual([['5" screen', 'ok']]);
  });
});

describe('CsvParser (incremental)', () => {
  const text = '\uFEFFid,text\r\n1,"a ""quoted"", multi\r\nline"\r\n2,plain\r\n';
  const expected = [
    ['id', 'text'],
    ['1', 'a "quoted", multi\r\nline'],
    ['2', 'plain'],
  ];

  it('gives the same rows whatever the chunk boundaries', () => {
    for (let size = 1; size <= text.length; size++) {
      const p = new CsvParser();
      const rows: string[][] = [];
      for (let i = 0; i < text.length; i += size) rows.push(...p.push(text.slice(i, i + size)));
      rows.push(...p.end());
      expect(rows).toEqual(expected);
    }
  });

  it('streams rows from byte chunks split inside a multi-byte character', async () => {
    const bytes = new TextEncoder().encode('k,v\nx,café\n');
    const chunks = [bytes.slice(0, 9), bytes.slice(9)];
    const rows: string[][] = [];
    for await (const r of csvRecords(chunks)) rows.push(r);
    expect(rows).toEqual([
      ['k', 'v'],
      ['x', 'café'],
    ]);
  });
});

describe('csvObjects', () => {
  it('keys rows by the header and fills missing fields', () => {
    expect(csvObjects(parseCsv('a,b\n1\n3,4\n'))).toEqual([
      { a: '1', b: '' },
      { a: '3', b: '4' },
    ]);
    expect(csvObjects([])).toEqual([]);
  });
});
