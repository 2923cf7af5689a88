import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// biome.json forbids every import of server/ from web/ except through this file, and forbids
// server/domain/ from importing anything above it; what Biome cannot see is whether this one
// door lets a value through, so the test reads it.
const DOOR = 'web/src/api/server-types.ts';

describe('web/ imports only types from server/', () => {
  it('the one door re-exports types and nothing else', () => {
    const code = readFileSync(DOOR, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    const statements = code
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean);
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) expect(s).toMatch(/^export type \{[^}]*\} from '[^']+'$/);
  });
});
