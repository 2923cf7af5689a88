import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decimalOption, intOption } from '../scripts/cli.ts';

const ROOT = join(import.meta.dirname, '..');

/** Runs a script as `npm run` does (tsx), without waiting on the others: they start in parallel. */
function run(
  script: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', script), ...args], {
      cwd: ROOT,
      env: { ...process.env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('intOption', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('takes plain decimal digits within the range, and the fallback when not given', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(intOption('accounts', undefined, 10000)).toBe(10000);
    expect(intOption('accounts', '250', 10000)).toBe(250);
    expect(intOption('accounts', '1', 10000)).toBe(1);
    expect(intOption('append-size', '0', 5, { min: 0 })).toBe(0);
    expect(intOption('port', '65535', 8781, { max: 65535 })).toBe(65535);
    expect(error).not.toHaveBeenCalled();
  });

  it('refuses what Number() would take, with the reason on stderr', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    for (const bad of [
      'abc',
      '',
      '-5',
      '0x10',
      '1e3',
      '2.5',
      '1_000',
      'Infinity',
      '0',
      '99999999999999999999',
    ])
      expect(intOption('accounts', bad, 10000), bad).toBeNull();
    expect(error).toHaveBeenCalledWith('--accounts must be a whole number ≥ 1, got "abc"');
    expect(intOption('port', '70000', 8781, { max: 65535 })).toBeNull();
    expect(error).toHaveBeenLastCalledWith('--port must be a whole number from 1 to 65535, got "70000"');
  });
});

describe('decimalOption', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('takes a positive decimal, and the fallback when not given', () => {
    expect(decimalOption('seconds', undefined, 10)).toBe(10);
    expect(decimalOption('seconds', '2.5', 10)).toBe(2.5);
    expect(decimalOption('seconds', '.5', 10)).toBe(0.5);
    expect(decimalOption('seconds', '3', 10)).toBe(3);
  });

  it('refuses zero, signs, hex, exponents and words', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    for (const bad of ['0', '0.0', '-1', '0x10', '1e2', 'abc', '', '.'])
      expect(decimalOption('seconds', bad, 10), bad).toBeNull();
    expect(error).toHaveBeenCalledWith('--seconds must be a number > 0, got "abc"');
  });
});

describe.concurrent('benchmark and evaluation scripts: usage mistakes', () => {
  const API_USAGE =
    'usage: npm run bench:api -- [--accounts N] [--seconds S] [--connections N] [--rounds N] [--db FILE]';

  it('an unknown flag is one line and the usage on stderr, exit 2, no stack trace', async ({ expect }) => {
    const r = await run('bench-api.ts', ['--acounts', '5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Unknown option '--acounts'");
    expect(r.stderr).toContain(API_USAGE);
    expect(r.stderr).not.toContain('    at ');
    expect(r.stdout).toBe('');
  });

  it('a pipeline window that is not one is bad usage, exit 2, before any work', async ({ expect }) => {
    const r = await run('pipeline.ts', [
      '--input',
      'data/demo',
      '--db',
      '/nonexistent/x.db',
      '--not-after',
      '2026-02-30',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--not-before/--not-after: not a date: "2026-02-30"');
    expect(r.stderr).toContain('usage: npm run pipeline');
    expect(r.stderr).not.toContain('    at ');
  });

  it('a bad number is refused before any work, exit 2', async ({ expect }) => {
    const [r, load] = await Promise.all([
      run('bench-api.ts', ['--accounts', 'abc']),
      run('bench-load.ts', ['--port', '0x10']),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--accounts must be a whole number ≥ 1, got "abc"');
    expect(r.stderr).not.toContain('    at ');
    expect(r.stdout).toBe('');
    expect(load.code).toBe(2);
    expect(load.stderr).toContain('--port must be a whole number from 1 to 65535, got "0x10"');
  });

  it('--help prints the usage on stdout, exit 0', async ({ expect }) => {
    const r = await run('bench-api.ts', ['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(API_USAGE);
    expect(r.stderr).toBe('');
  });

  it('scripts that read argv by hand no longer run with defaults on a typo', async ({ expect }) => {
    const [evaluation, train, bench] = await Promise.all([
      run('eval-classifier.ts', ['--modle', 'x.bin']),
      // train:classifier overwrites the shipped model: a typo stops it first
      run('train-classifier.ts', ['--no-typo']),
      run('bench-import.ts', ['--format', 'xml']),
    ]);
    expect(evaluation.code).toBe(2);
    expect(evaluation.stderr).toContain("Unknown option '--modle'");
    expect(evaluation.stderr).toContain(
      'usage: npm run eval:classifier -- [--json] [--model FILE] [--bitext DIR]',
    );
    expect(train.code).toBe(2);
    expect(train.stderr).toContain('usage: npm run train:classifier -- ');
    expect(bench.code).toBe(2);
    expect(bench.stderr).toContain(
      '--format must be one of intercom, zendesk, csv, canonical, all, got "xml"',
    );
    for (const r of [evaluation, train, bench]) {
      expect(r.stderr).not.toContain('    at ');
      expect(r.stdout).toBe('');
    }
  });
});
