import { describe, expect, it } from 'vitest';
import { csvObjects, parseCsvText } from '../server/importers/csv.ts';

// One CSV dialect in the house: the importers' record parser, also for whole texts in memory.
describe('parseCsvText', () => {
  it('parses simple rows', () => {
    expect(parseCsvText('a,b,c\n1,2,3\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
  });

  it('handles a missing final newline and empty fields', () => {
    expect(parseCsvText('a,,c\n,,')).toEqual([
      ['a', '', 'c'],
      ['', '', ''],
    ]);
  });

  it('handles quoted fields with commas, doubled quotes and embedded newlines', () => {
    const text = 'id,text\n1,"hello, ""world"""\n2,"line one\nline two\r\nline three"\n3,""\n';
    expect(parseCsvText(text)).toEqual([
      ['id', 'text'],
      ['1', 'hello, "world"'],
      ['2', 'line one\nline two\nline three'],
      ['3', ''],
    ]);
  });

  it('handles CRLF line ends and a UTF-8 BOM', () => {
    expect(parseCsvText('\uFEFFname,n\r\nx,1\r\ny,2\r\n')).toEqual([
      ['name', 'n'],
      ['x', '1'],
      ['y', '2'],
    ]);
  });

  it('skips blank lines and detects another delimiter from the header', () => {
    expect(parseCsvText('a;b\n\n1;2\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('keeps quotes that appear inside an unquoted field', () => {
    expect(parseCsvText('name,size\n5" screen,ok\n')).toEqual([
      ['name', 'size'],
      ['5" screen', 'ok'],
    ]);
  });
});

describe('csvObjects', () => {
  it('keys rows by the header and fills missing fields', () => {
    expect(
      csvObjects([
        ['id', 'name', 'arr'],
        ['a', 'Acme'],
        ['b', 'Bolt', '10'],
      ]),
    ).toEqual([
      { id: 'a', name: 'Acme', arr: '' },
      { id: 'b', name: 'Bolt', arr: '10' },
    ]);
    expect(csvObjects([])).toEqual([]);
  });
});
