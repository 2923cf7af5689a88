import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../scripts/pipeline/run.ts';
import { csvObjects, parseCsvText } from '../server/importers/csv.ts';
import { copyFixture, tempDir } from './helpers.ts';

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

  it("skips Excel's sep= line above the header and takes its delimiter", () => {
    expect(parseCsvText('sep=;\nid;name\nacme;Acme, Inc.\n')).toEqual([
      ['id', 'name'],
      ['acme', 'Acme, Inc.'],
    ]);
    // only above the header: a later row that reads "sep=," is data
    expect(parseCsvText('sep=|\na|b\n"sep=,"|\n')).toEqual([
      ['a', 'b'],
      ['sep=,', ''],
    ]);
  });

  it('reads an accounts.csv that begins with a sep= line in the pipeline', async () => {
    const bundle = copyFixture();
    rmSync(join(bundle, 'accounts.jsonl'));
    const accounts = ['sep=,', 'id,name,vertical,status'];
    for (const id of ['acme', 'globex', 'initech']) accounts.push(`${id},"${id}, Inc.",other,customer`);
    writeFileSync(join(bundle, 'accounts.csv'), `${accounts.join('\r\n')}\r\n`);
    const result = await runPipeline({ input: bundle, db: join(tempDir(), 'x.db'), log: () => {} });
    expect(result.accounts).toBe(3);
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
