/**
 * What the import graph cannot see (`npm run lint:deps` checks the graph itself): SQL lives only in
 * server/db/, and API data is never forced into a response type by a cast.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|tsx|mjs)$/.test(f))
    .map((f) => join(dir, f));
}

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
/** a statement's opening words inside a string or template literal */
const SQL =
  /['"`]\s*(SELECT\s[\s\S]*?\sFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX|VIEW)|DROP\s+TABLE|ALTER\s+TABLE|PRAGMA\s)/;

function offenders(files: string[], pattern: RegExp): string[] {
  return files.flatMap((file) =>
    read(file)
      .split('\n')
      .flatMap((line, i) =>
        pattern.test(line) ? [`${relative(ROOT, join(ROOT, file))}:${i + 1}: ${line.trim()}`] : [],
      ),
  );
}

describe('layering', () => {
  const server = sources('server');
  const web = sources('web/src');
  const scripts = sources('scripts');

  it('keeps every SQL statement in server/db/', () => {
    const outside = [...server.filter((f) => !f.startsWith('server/db/')), ...web, ...scripts];
    expect(outside.length).toBeGreaterThan(100);
    expect(offenders(outside, SQL)).toEqual([]);
    // the pattern does catch a statement
    expect(SQL.test("db.prepare('SELECT id FROM accounts')")).toBe(true);
    expect(SQL.test('db.prepare(`INSERT OR REPLACE INTO meta VALUES (?, ?)`)')).toBe(true);
  });

  it('has no double cast in server/ or web/', () => {
    expect(offenders([...server, ...web], /\bas unknown as\b/)).toEqual([]);
  });

  it('never casts data to an API response type', () => {
    const apiTypes = [...read('server/api-types.ts').matchAll(/export (?:interface|type) (\w+)/g)].map(
      (m) => m[1],
    );
    expect(apiTypes).toContain('AccountDetail');
    const cast = new RegExp(`\\bas (${apiTypes.join('|')})\\b`);
    expect(offenders([...server, ...web], cast)).toEqual([]);
  });
});
