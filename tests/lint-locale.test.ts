import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// The project's Biome plugins (lint/*.grit) refuse sorting that depends on the machine's language:
// run Biome with the project's configuration on calls it must flag and calls it must let through.
const root = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'cockpit-lint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CASES = `declare const a: string;
declare const b: string;
declare const o: { s?: string };
a.localeCompare(b); // flag
a?.localeCompare(b); // flag
o.s?.localeCompare(b); // flag
a.localeCompare(b, undefined, { numeric: true }); // flag
a.localeCompare(b, 'en');
a.localeCompare(b, 'en', { numeric: true });
new Intl.Collator(); // flag
new Intl.Collator(undefined, { numeric: true }); // flag
new Intl.Collator('en');
`;

describe('locale-independent sorting (lint/*.grit)', () => {
  it('flags localeCompare and Intl.Collator without a locale, and only those', async () => {
    const file = join(dir, 'cases.ts');
    writeFileSync(file, CASES);
    const biome = join(root, 'node_modules', '.bin', 'biome');
    const out = await promisify(execFile)(
      biome,
      ['lint', `--config-path=${root}`, '--max-diagnostics=50', file],
      {
        cwd: root,
      },
    ).then(
      (r) => r.stdout + r.stderr,
      (e: { stdout: string; stderr: string }) => e.stdout + e.stderr,
    );
    const flagged = [...out.matchAll(/cases\.ts:(\d+):\d+ plugin/g)].map((m) => Number(m[1]));
    const expected = CASES.split('\n')
      .map((line, i) => (line.endsWith('// flag') ? i + 1 : 0))
      .filter(Boolean);
    expect(flagged).toEqual(expected);
  });
});
