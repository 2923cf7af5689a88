/**
 * Estimate throughput: writes N synthetic conversations in each import format (customer texts drawn
 * from the taxonomy's example phrases with noise, no source topics, so every conversation goes
 * through the classifier) to .tmp/bench-estimate/, then runs the whole estimate on each
 * (import → classify → aggregate → model), one process per format so each peak RSS is its own.
 *
 *   npx tsx scripts/bench-estimate.ts [--n 100000] [--format canonical|intercom|zendesk|csv|all]
 *                                     [--db data/cockpit.db] [--keep]
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  createReadStream,
  existsSync,
  mkdirSync,
  openSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openServingDb } from '../server/db/open.ts';
import { taxonomy } from '../server/domain/taxonomy.ts';
import { benchmarkSource } from '../server/estimate/benchmarks.ts';
import { estimateProspect } from '../server/estimate/estimate.ts';
import { choiceOption, fromCaller, intOption, parseCli } from './cli.ts';

const FORMATS = ['canonical', 'intercom', 'zendesk', 'csv'];

function settings() {
  const parsed = parseCli(
    `usage: npm run bench:estimate -- [--n N] [--format ${[...FORMATS, 'all'].join('|')}] [--db FILE] [--keep]`,
    {
      n: { type: 'string' },
      format: { type: 'string' },
      db: { type: 'string' },
      keep: { type: 'boolean' },
      // internal: one format's run, started by this script
      child: { type: 'boolean' },
    },
  );
  if ('exitCode' in parsed) process.exit(parsed.exitCode);
  const { values } = parsed;
  const n = intOption('n', values.n, 100000);
  if (n === null) process.exit(2);
  const format = choiceOption('format', values.format, [...FORMATS, 'all'], 'all');
  if (format === null) process.exit(2);
  const db =
    values.db !== undefined ? fromCaller(values.db) : resolve(process.env.COCKPIT_DB ?? 'data/cockpit.db');
  return { n, format, db, keep: values.keep === true, child: values.child === true };
}
const { n: N, format: which, db: dbPath, keep, child } = settings();
const DIR = resolve('.tmp', 'bench-estimate');

const PHRASES = taxonomy.leaves.flatMap((l) => l.examples);
const OPENERS = ['Hi,', 'Hello', 'Hey there.', '', 'Good morning,', 'Hi team —'];
const TAILS = ['Thanks!', 'Please help.', '', 'This is urgent.', 'Order #', 'Cheers'];
const T0 = 1767225600; // 2026-01-01, spread over ~3 months

function text(i: number): string {
  const p = PHRASES[(i * 7919) % PHRASES.length]!;
  return `${OPENERS[i % OPENERS.length]} ${p} ${TAILS[(i >> 3) % TAILS.length]}${i % 6 === 4 ? ` ${10000 + i}` : ''}`.trim();
}
const at = (i: number) => T0 + Math.floor((i / N) * 90 * 86400);

const GEN: Record<string, { ext: string; header?: string; line: (i: number) => string }> = {
  canonical: {
    ext: 'jsonl',
    line: (i) => {
      const t = new Date(at(i) * 1000).toISOString();
      return JSON.stringify({
        id: `c-${i}`,
        accountId: 'prospect',
        createdAt: t,
        channel: i % 3 ? 'chat' : 'email',
        aiInvolved: false,
        aiResolutionState: null,
        csat: i % 4 === 0 ? (i % 5) + 1 : null,
        messages: [
          { role: 'customer', text: text(i), at: t },
          { role: 'agent', text: 'Thanks for reaching out, let me check that for you.', at: t },
        ],
      });
    },
  },
  intercom: {
    ext: 'jsonl',
    line: (i) =>
      JSON.stringify({
        type: 'conversation',
        id: String(100000000 + i),
        created_at: at(i),
        state: 'closed',
        source: {
          type: 'conversation',
          delivered_as: 'customer_initiated',
          body: `<p>${text(i)}</p>`,
          author: { type: 'user', id: `u${i}` },
        },
        ai_agent_participated: false,
        conversation_rating: i % 4 === 0 ? { rating: (i % 5) + 1 } : null,
        statistics: { count_reopens: 0 },
        tags: { type: 'tag.list', tags: [] },
        conversation_parts: {
          type: 'conversation_part.list',
          conversation_parts: [
            {
              part_type: 'comment',
              body: '<p>Thanks for reaching out, let me check that for you.</p>',
              created_at: at(i) + 60,
              author: { type: 'admin', id: 'a1' },
            },
          ],
        },
      }),
  },
  zendesk: {
    ext: 'jsonl',
    line: (i) => {
      const t = new Date(at(i) * 1000).toISOString();
      return JSON.stringify({
        id: i + 1,
        created_at: t,
        subject: '',
        description: text(i),
        status: 'solved',
        tags: [],
        via: { channel: i % 2 ? 'email' : 'web' },
        requester_id: 10,
        satisfaction_rating: { score: i % 3 ? 'good' : 'offered' },
      });
    },
  },
  csv: {
    ext: 'csv',
    header: 'ticket_id,created_at,description,csat,channel',
    line: (i) =>
      `${i},${new Date(at(i) * 1000).toISOString()},"${text(i).replace(/"/g, '""')}",${(i % 5) + 1},chat`,
  },
};

function write(name: string): string {
  const g = GEN[name]!;
  const file = join(DIR, `${name}-${N}.${g.ext}`);
  if (existsSync(file)) return file;
  const fd = openSync(`${file}.part`, 'w');
  let batch: string[] = g.header ? [g.header] : [];
  for (let i = 0; i < N; i++) {
    batch.push(g.line(i));
    if (batch.length === 2000 || i === N - 1) {
      writeSync(fd, `${batch.join('\n')}\n`);
      batch = [];
    }
  }
  closeSync(fd);
  spawnSync('mv', [`${file}.part`, file]);
  return file;
}

async function runOne(name: string) {
  const file = join(DIR, `${name}-${N}.${GEN[name]!.ext}`);
  const benchmarks = benchmarkSource(existsSync(dbPath) ? openServingDb(dbPath) : null);
  benchmarks.forVertical('ecommerce');
  const rssBefore = process.memoryUsage().rss / 1048576;
  const t = performance.now();
  const r = await estimateProspect(createReadStream(file, { highWaterMark: 256 * 1024 }), benchmarks, {
    vertical: 'ecommerce',
    fileName: file,
  });
  const s = (performance.now() - t) / 1000;
  const peak = process.resourceUsage().maxRSS / 1024;
  const size = statSync(file).size;
  console.log(
    `${name.padEnd(9)} ${N.toLocaleString('en-US')} records, ${(size / 1e6).toFixed(0)} MB: ${r.conversations.toLocaleString('en-US')} conversations in ${s.toFixed(2)} s → ${Math.round(N / s).toLocaleString('en-US')} records/s, ${(size / 1e6 / s).toFixed(0)} MB/s; potential ${((r.potential ?? 0) * 100).toFixed(1)}% [${((r.potentialLow ?? 0) * 100).toFixed(1)}–${((r.potentialHigh ?? 0) * 100).toFixed(1)}]; RSS before ${rssBefore.toFixed(0)} MB, peak ${peak.toFixed(0)} MB`,
  );
}

if (child) await runOne(which);
else {
  mkdirSync(DIR, { recursive: true });
  const names = which === 'all' ? Object.keys(GEN) : [which];
  if (!existsSync(dbPath)) console.warn(`note: ${dbPath} missing: peer levels fall back to the prior`);
  for (const name of names) write(name);
  for (const name of names) {
    const r = spawnSync(
      process.execPath,
      [
        ...process.execArgv,
        fileURLToPath(import.meta.url),
        ...['--n', String(N), '--format', name, '--db', dbPath, '--child'],
      ],
      { stdio: 'inherit' },
    );
    if (r.status !== 0) process.exitCode = 1;
  }
  if (!keep) for (const name of names) rmSync(join(DIR, `${name}-${N}.${GEN[name]!.ext}`), { force: true });
}
