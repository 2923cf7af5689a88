import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildFixtureDb, copyFixture, FIXTURE_BUNDLE, tempDir } from './helpers.ts';

const ROOT = join(import.meta.dirname, '..');

function run(script: string, args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', script), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run classify', () => {
  it('writes one line per conversation with leaf, class and confidence', () => {
    const out = join(tempDir(), 'classified.jsonl');
    const r = run('classify.ts', ['--input', join(FIXTURE_BUNDLE, 'conversations.jsonl'), '--output', out]);
    expect(r.code).toBe(0);
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // 17 lines, c10 twice: its last version is the one classified
    expect(lines).toHaveLength(16);
    expect(lines[0]).toEqual({
      id: 'c1',
      taxonomyId: 'orders.where_is_my_order',
      automationClass: 'personalized',
      confidence: 1,
    });
    for (const l of lines)
      expect(Object.keys(l)).toEqual(['id', 'taxonomyId', 'automationClass', 'confidence']);
    expect(r.stderr).toContain(
      'classified 16 conversations, 1 earlier versions of repeated ids (the last one wins)',
    );
  });

  it('needs only what it reads: {id, messages} and an optional topic', () => {
    const dir = tempDir();
    const input = join(dir, 'bare.jsonl');
    writeFileSync(
      input,
      [
        { id: 'b1', messages: [{ role: 'customer', text: 'I want to cancel my subscription' }] },
        { id: 2, messages: [] },
        { id: 'b3', topic: 'Orders > Where is my order', messages: [{ role: 'customer', text: 'hello' }] },
        { id: 'b4', messages: [{ text: 'no role' }] },
      ]
        .map((c) => JSON.stringify(c))
        .join('\n'),
    );
    const r = run('classify.ts', ['--input', input]);
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['b1', '2', 'b3']);
    expect(lines[0].automationClass).toBe('action');
    expect(lines[1]).toMatchObject({ taxonomyId: 'other.greeting', confidence: 0 });
    expect(lines[2]).toMatchObject({ taxonomyId: 'orders.where_is_my_order', confidence: 1 });
    expect(r.stderr).toMatch(/bare\.jsonl:4: messages\[0\] has no "role"/);
  });

  it('classifies a repeated id once, from its last valid version, as the pipeline keeps it', () => {
    const dir = tempDir();
    const input = join(dir, 'repeated.jsonl');
    const base = {
      accountId: 'acme',
      createdAt: '2026-03-04T10:22:00Z',
      channel: 'chat',
      aiInvolved: false,
      aiResolutionState: null,
    };
    const say = (text: string) => [{ role: 'customer', text, at: '2026-03-04T10:22:00Z' }];
    const lines = [
      { ...base, id: 'x1', messages: say('where is my order, it has not arrived') },
      { ...base, id: 'x2', messages: say('what is your return policy') },
      { ...base, id: 'x1', messages: say('please cancel my subscription') },
      { ...base, id: 'x1', createdAt: 'not a date', messages: say('let me talk to a person') },
    ];
    writeFileSync(input, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const r = run('classify.ts', ['--input', input]);
    expect(r.code).toBe(0);
    const out = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; automationClass: string });
    // x1's third line is its last valid version (the fourth is invalid), written at its place
    expect(out.map((o) => [o.id, o.automationClass])).toEqual([
      ['x2', 'informational'],
      ['x1', 'action'],
    ]);
    expect(r.stderr).toContain(
      'classified 2 conversations, skipped 1 invalid lines, 1 earlier versions of repeated ids (the last one wins)',
    );
  });

  it('reads a pipe (its input is read twice, so it is kept first), and keeps the last output when a run fails', () => {
    const input = readFileSync(join(FIXTURE_BUNDLE, 'conversations.jsonl'), 'utf8');
    const piped = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'scripts', 'classify.ts'), '--input', '/dev/stdin'],
      { cwd: ROOT, encoding: 'utf8', input, env: { ...process.env, FORCE_COLOR: '0' } },
    );
    expect(piped.status).toBe(0);
    expect(piped.stdout.trim().split('\n')).toHaveLength(16);
    // a failed run (over --max-reject-rate) leaves the output of the last good one
    const dir = tempDir();
    const out = join(dir, 'classified.jsonl');
    writeFileSync(out, 'the last good run\n');
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${input}{not json\n`);
    const strict = run('classify.ts', ['--input', bad, '--output', out, '--max-reject-rate', '0.01']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain(
      `classify failed: 5.56% of lines were invalid (1 of 18), over the --max-reject-rate of 1.00%; ${out} was not written`,
    );
    expect(readFileSync(out, 'utf8')).toBe('the last good run\n');
    expect(readdirSync(dir).sort()).toEqual(['bad.jsonl', 'classified.jsonl']);
    // without the option the valid lines are written, as before
    const lenient = run('classify.ts', ['--input', bad, '--output', out]);
    expect(lenient.code).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(16);
    expect(run('classify.ts', ['--input', bad, '--max-reject-rate', '2']).code).toBe(2);
    // a link is written through, not replaced by a file
    const target = join(dir, 'run-42.jsonl');
    const link = join(dir, 'latest.jsonl');
    symlinkSync(target, link);
    expect(run('classify.ts', ['--input', bad, '--output', link]).code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8').trim().split('\n')).toHaveLength(16);
  });

  it("reads relative paths from the caller's folder (npm keeps it in INIT_CWD), not the project's", () => {
    const caller = tempDir();
    writeFileSync(join(caller, 'in.jsonl'), readFileSync(join(FIXTURE_BUNDLE, 'conversations.jsonl')));
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'scripts', 'classify.ts'),
        '--input',
        'in.jsonl',
        '--output',
        'out.jsonl',
      ],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', INIT_CWD: caller } },
    );
    expect(r.status).toBe(0);
    expect(readFileSync(join(caller, 'out.jsonl'), 'utf8').trim().split('\n')).toHaveLength(16);
    expect(existsSync(join(ROOT, 'out.jsonl'))).toBe(false);
  });

  it('exits 2 without --input and 1 for a missing file', () => {
    expect(run('classify.ts', []).code).toBe(2);
    const missing = run('classify.ts', ['--input', '/nonexistent.jsonl']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('/nonexistent.jsonl: file not found');
  });
});

describe('npm run classify into a reader that stops early (`| head`)', () => {
  it('ends quietly with exit code 0 instead of an EPIPE stack trace', async () => {
    const lines = readFileSync(join(FIXTURE_BUNDLE, 'conversations.jsonl'), 'utf8').trim().split('\n');
    // enough output (~400 KB) to overflow the pipe's buffer after the reader has gone
    const many = Array.from({ length: 4000 }, (_, i) => {
      const line = lines[i % lines.length]!;
      return line.replace(/"id": ?"[^"]*"/, `"id": "copy-${i}"`);
    });
    const file = join(tempDir(), 'many.jsonl');
    writeFileSync(file, `${many.join('\n')}\n`);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'scripts', 'classify.ts'), '--input', file],
      {
        cwd: ROOT,
        env: { ...process.env, FORCE_COLOR: '0' },
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(stderr).not.toContain('EPIPE');
    expect(stderr).not.toContain('    at ');
    expect(code).toBe(0);
  });
});

describe('npm run classify on bad input: one line, no stack trace', () => {
  const oneLine = (r: ReturnType<typeof run>, code: number, message: RegExp) => {
    expect(r.code).toBe(code);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain('    at ');
  };
  const conversations = readFileSync(join(FIXTURE_BUNDLE, 'conversations.jsonl'));

  it('a truncated gzip', () => {
    const gz = gzipSync(conversations);
    const file = join(tempDir(), 'conversations.jsonl.gz');
    writeFileSync(file, gz.subarray(0, gz.length - 30));
    oneLine(
      run('classify.ts', ['--input', file]),
      1,
      /^classify failed: .*gzip data is corrupt or truncated/,
    );
  });

  it('a file with no canonical conversation in it (a JSON array, another export format)', () => {
    const file = join(tempDir(), 'array.json');
    writeFileSync(file, `${JSON.stringify([{ id: 'a' }, { id: 'b' }])}\n`);
    // one line that says what to do, the first problem in it (not a reason per line before it)
    oneLine(
      run('classify.ts', ['--input', file]),
      1,
      /^classify failed: .*no line is a canonical conversation \(first: line 1: a JSON array, not one conversation per line\); read as an export: could not recognise the format/,
    );
    // another export the importers read (a sales engineer auditing a CSV conversation by conversation)
    const csv = join(tempDir(), 'export.csv');
    writeFileSync(
      csv,
      'id,created_at,text\n1,2026-06-01,where is my parcel\n2,2026-06-02,how do I reset my password\n',
    );
    const fromCsv = run('classify.ts', ['--input', csv]);
    expect(fromCsv.code).toBe(0);
    expect(
      fromCsv.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).id),
    ).toEqual(['1', '2']);
    expect(fromCsv.stderr).toContain('export.csv: read as csv: 2 records, 2 imported, 0 skipped, 0 rejected');
    // its invalid rows count against --max-reject-rate as a canonical file's lines do
    const bad = join(tempDir(), 'bad.csv');
    writeFileSync(
      bad,
      'id,created_at,text\n1,2026-06-01,where is my parcel\n2,not a date,refund please\n3,2026-06-03,hello\n',
    );
    const refused = run('classify.ts', ['--input', bad, '--max-reject-rate', '0.1']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trim().split('\n').at(-1)).toBe(
      'classify failed: 33.33% of records were invalid (1 of 3), over the --max-reject-rate of 10.00%',
    );
    // among valid lines, the first reasons, then a count
    const mixed = join(tempDir(), 'mixed.jsonl');
    writeFileSync(
      mixed,
      Buffer.concat([
        conversations,
        Buffer.from(`${JSON.stringify({ type: 'conversation', id: 1 })}\n`.repeat(50)),
      ]),
    );
    const r2 = run('classify.ts', ['--input', mixed]);
    expect(r2.code).toBe(0);
    expect(r2.stderr).toContain('… and 30 more invalid lines');
    expect(
      r2.stderr
        .trim()
        .split('\n')
        .filter((l) => /mixed\.jsonl:\d+: /.test(l)),
    ).toHaveLength(20);
  });

  it('an empty file: nothing to classify, said', () => {
    const file = join(tempDir(), 'empty.jsonl');
    writeFileSync(file, '');
    const r = run('classify.ts', ['--input', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe(`classified 0 conversations: ${file} is empty (no line to read)`);
  });

  it('a Latin-1 file', () => {
    const file = join(tempDir(), 'latin1.jsonl');
    writeFileSync(file, Buffer.from('{"id":"caf\xe9"}\n'.repeat(3), 'latin1'));
    oneLine(run('classify.ts', ['--input', file]), 1, /^classify failed: .*not a UTF-8 text file/);
  });

  it('an --output that is the input file, which stays as it was', () => {
    const dir = tempDir();
    const file = join(dir, 'same.jsonl');
    writeFileSync(file, conversations);
    const r = run('classify.ts', ['--input', file, '--output', join(dir, '.', 'same.jsonl')]);
    oneLine(r, 1, /^classify failed: .*same\.jsonl: is the input file; write the output elsewhere/);
    expect(readFileSync(file).equals(conversations)).toBe(true);
  });

  it('a folder as --input', () => {
    const dir = tempDir();
    oneLine(run('classify.ts', ['--input', dir]), 1, /^classify failed: .*is a folder/);
  });

  it('an --output in a folder that does not exist, leaving nothing behind', () => {
    const out = join(tempDir(), 'missing', 'out.jsonl');
    const r = run('classify.ts', ['--input', join(FIXTURE_BUNDLE, 'conversations.jsonl'), '--output', out]);
    oneLine(r, 1, /^classify failed: .*out\.jsonl: cannot be written \(ENOENT/);
    expect(existsSync(out)).toBe(false);
  });

  it('an --output that is a folder', () => {
    const out = join(tempDir(), 'out');
    mkdirSync(out);
    const r = run('classify.ts', ['--input', join(FIXTURE_BUNDLE, 'conversations.jsonl'), '--output', out]);
    oneLine(r, 1, /^classify failed: .*cannot be written \(EISDIR/);
  });
});

describe('npm run pipeline', () => {
  it('builds from a single export file, with its window and its rejects file', () => {
    const dir = tempDir();
    const file = join(dir, 'old.csv');
    writeFileSync(
      file,
      'id,created_at,text\n1,1998-06-01 10:00,where is my order\n2,1998-06-02 10:00,refund please\n3,soon,x\n',
    );
    const db = join(dir, 'x.db');
    const r = run('pipeline.ts', [
      '--input',
      file,
      '--db',
      db,
      '--not-before',
      '1990-01-01',
      '--max-reject-rate',
      '0.5',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/built .*x\.db/);
    const rejects = readFileSync(join(dir, 'x.rejects.jsonl'), 'utf8').trim().split('\n');
    expect(rejects.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ line: 4, file: expect.stringMatching(/old\.csv$/) }),
    ]);
  });

  it('builds a database and reports it', () => {
    const db = join(tempDir(), 'x.db');
    const r = run('pipeline.ts', ['--input', FIXTURE_BUNDLE, '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/built .*x\.db/);
  });

  it('exits 1 with a one-line reason on a missing bundle, 2 on bad usage', () => {
    const missing = run('pipeline.ts', ['--input', '/nonexistent', '--db', join(tempDir(), 'y.db')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /^pipeline failed: \/nonexistent: not found \(expected an export file or a canonical export bundle folder/m,
    );
    expect(run('pipeline.ts', ['--input', FIXTURE_BUNDLE, '--max-reject-rate', 'lots']).code).toBe(2);
    // Number() would read "" as 0 and "0x1" as 1
    for (const bad of ['', '0x1', '1e-2x'])
      expect(run('pipeline.ts', ['--input', FIXTURE_BUNDLE, '--max-reject-rate', bad]).code, bad).toBe(2);
    expect(run('pipeline.ts', ['--bogus']).code).toBe(2);
  });
});

describe('npm run pipeline stopped by a signal', () => {
  it('removes its half-built file and its lock, and leaves the database as it was', async () => {
    const dir = copyFixture();
    const lines = readFileSync(join(dir, 'conversations.jsonl'), 'utf8').trim().split('\n');
    // enough conversations for the build to be under way when the signal comes
    const many = Array.from({ length: 60_000 }, (_, i) =>
      lines[i % lines.length]!.replace(/"id": ?"[^"]*"/, `"id": "copy-${i}"`),
    );
    writeFileSync(join(dir, 'conversations.jsonl'), `${many.join('\n')}\n`);
    const out = join(tempDir(), 'cockpit.db');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'scripts', 'pipeline.ts'), '--input', dir, '--db', out],
      {
        cwd: ROOT,
        env: { ...process.env, FORCE_COLOR: '0' },
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    const building = `${out}.building-${child.pid}`;
    for (let i = 0; i < 600 && !existsSync(building); i++) await new Promise((r) => setTimeout(r, 25));
    expect(existsSync(building)).toBe(true);
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(143);
    expect(stderr).toContain('pipeline stopped by SIGTERM; its temporary files were removed');
    expect(readdirSync(dirname(out)).filter((f) => f.includes('.building-') || f.endsWith('.lock'))).toEqual(
      [],
    );
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});

describe('npm start', () => {
  const start = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'start.ts')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, COCKPIT_SKIP_WEB_BUILD: '1', PORT: '18799', ...env },
    });

  it('refuses to serve the network without sign-in, in one line', () => {
    const r = start({ HOST: '0.0.0.0' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(
      "HOST=0.0.0.0 would serve every account, and prospects' conversation text, to the network without sign-in: set COCKPIT_AUTH=oidc or proxy (docs/security.md) or keep HOST=127.0.0.1",
    );
  });

  it('refuses a half-configured sign-in', () => {
    const r = start({ HOST: '0.0.0.0', COCKPIT_AUTH: 'proxy' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^COCKPIT_AUTH=proxy needs COCKPIT_TRUSTED_PROXIES/);
  });
});

describe('system errors are one line, not a stack trace', () => {
  // A path under a regular file cannot be created, whoever runs the tests (CI runs them as root).
  const notADir = () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'x');
    return file;
  };

  it('a database path that cannot be written', () => {
    const blocked = notADir();
    const r = run('pipeline.ts', ['--input', FIXTURE_BUNDLE, '--db', join(blocked, 'cockpit.db')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^pipeline failed: E[A-Z]+: [a-z]/);
    expect(r.stderr).not.toContain('    at ');
  });

  it('npm run estimate with a serving or prospects database it cannot use', () => {
    const dir = tempDir();
    const csv = join(dir, 'export.csv');
    writeFileSync(csv, 'id,created_at,text\n1,2026-10-01T10:00:00Z,where is my order\n');
    const notADb = join(dir, 'not.db');
    writeFileSync(notADb, 'hello');
    const cases: [string[], RegExp][] = [
      [['--db', dir], /^estimate failed: .* is a folder, expected the serving database file$/],
      [['--db', notADb], /^estimate failed: .*not\.db was built by something else/],
      [['--input', dir], /is a folder, expected the export file$/],
    ];
    for (const [args, message] of cases) {
      const r = run('estimate.ts', args[0] === '--input' ? args : ['--input', csv, ...args]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(message);
      expect(r.stderr).not.toContain('    at ');
    }
  });
});

describe('npm run demo', () => {
  function demo(args: string[], db: string) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'demo.ts'), ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '0', COCKPIT_DB: db },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it('builds a smaller world over a bigger one only with --force, as the pipeline does', () => {
    const dir = tempDir();
    const db = join(dir, 'demo.db');
    const world = (accounts: number) => ['--accounts', String(accounts), '--months', '2', '--seed', '3'];
    expect(demo([...world(4), '--out', join(dir, 'four')], db).code).toBe(0);
    const bundle = readFileSync(join(dir, 'four', 'accounts.jsonl'), 'utf8');
    // refused into the same folder: the bundle stays the one the database was built from
    const refused = demo([...world(2), '--out', join(dir, 'four')], db);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /refused: .*accounts 4 → 2.*were not changed \(--force builds it anyway\)/,
    );
    expect(readFileSync(join(dir, 'four', 'accounts.jsonl'), 'utf8')).toBe(bundle);
    // and no staging folder is left beside it
    expect(readdirSync(dir).filter((f) => f.startsWith('four'))).toEqual(['four']);
    const forced = demo([...world(2), '--out', join(dir, 'two'), '--force'], db);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('--force: ');
  });

  it('never takes another option as a value, nor a stray word as an option', () => {
    const db = join(tempDir(), 'demo.db');
    for (const [args, message] of [
      [['--out', '--force'], 'demo: missing value for --out'],
      [['foo'], 'demo: unexpected argument "foo"'],
      [['--accounts', '--months', '2'], 'demo: missing value for --accounts'],
    ] as const) {
      const r = demo([...args], db);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.split('\n')[0]).toBe(message);
    }
    expect(existsSync(join(ROOT, '--force'))).toBe(false);
    expect(existsSync(db)).toBe(false);
  });
});

describe('npm run estimate -- --save', () => {
  it('writes the save to the audit log, as a save from the app is (SPEC §8)', async () => {
    const db = await buildFixtureDb();
    const dir = tempDir();
    const csv = join(dir, 'export.csv');
    writeFileSync(
      csv,
      'id,created_at,text\n1,2026-10-01T10:00:00Z,where is my order\n2,2026-10-02T11:00:00Z,how do I return a jacket\n',
    );
    const prospects = join(dir, 'prospects.db');
    const r = run('estimate.ts', [
      '--input',
      csv,
      '--db',
      db,
      '--prospects-db',
      prospects,
      '--name',
      'Acme',
      '--save',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const saved = JSON.parse(r.stdout) as { id: string };
    const lines = readFileSync(join(dir, 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ action: 'prospect.save', target: saved.id, name: 'Acme' });
    expect(lines[0].who).toEqual(expect.any(String));
  });
});
