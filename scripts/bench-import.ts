/**
 * Importer throughput: writes N synthetic Intercom conversation lines (and the same as Zendesk NDJSON and
 * CSV) to a temp dir, imports each, prints records/s and peak RSS.
 *   npx tsx scripts/bench-import.ts [--n 100000] [--format intercom|zendesk|csv|canonical|all]
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ImportReport, importFile } from '../server/importers/index.ts';
import { choiceOption, intOption, parseCli } from './cli.ts';

const FORMATS = ['intercom', 'zendesk', 'csv', 'canonical'];

function settings() {
  const parsed = parseCli(
    `usage: npm run bench:import -- [--n N] [--format ${[...FORMATS, 'all'].join('|')}]`,
    {
      n: { type: 'string' },
      format: { type: 'string' },
    },
  );
  if ('exitCode' in parsed) process.exit(parsed.exitCode);
  const { values } = parsed;
  const n = intOption('n', values.n, 100000);
  if (n === null) process.exit(2);
  const format = choiceOption('format', values.format, [...FORMATS, 'all'], 'all');
  if (format === null) process.exit(2);
  return { n, format };
}
const { n: N, format: which } = settings();

const STATES = [
  'assumed_resolution',
  'confirmed_resolution',
  'escalated',
  'negative_feedback',
  'procedure_handoff',
];
const T0 = 1767225600; // 2026-01-01

function intercomLine(i: number): string {
  const t = T0 + i * 60;
  const ai = i % 3 !== 0;
  return JSON.stringify({
    type: 'conversation',
    id: String(100000000 + i),
    created_at: t,
    updated_at: t + 600,
    state: 'closed',
    source: {
      type: i % 7 === 0 ? 'email' : 'conversation',
      delivered_as: 'customer_initiated',
      subject: '',
      body: `<p>Hello, my order #${i} has not arrived yet &amp; I paid for express shipping. Where is it?</p>`,
      author: { type: 'user', id: `u${i}` },
    },
    ai_agent_participated: ai,
    ai_agent: ai
      ? {
          source_type: i % 50 === 0 ? 'fin_preview' : 'essentials_plan_setup',
          resolution_state: STATES[i % 5],
          rating: null,
        }
      : null,
    conversation_rating: i % 4 === 0 ? { rating: (i % 5) + 1 } : null,
    statistics: { count_reopens: i % 20 === 0 ? 1 : 0 },
    tags: { type: 'tag.list', tags: [{ type: 'tag', id: '1', name: 'shipping' }] },
    custom_attributes: { 'CX Score rating': (i % 5) + 1 },
    conversation_parts: {
      type: 'conversation_part.list',
      total_count: 3,
      conversation_parts: [
        {
          type: 'conversation_part',
          part_type: 'comment',
          body: '<p>Thanks for reaching out! Your parcel left our warehouse yesterday.</p><p>Tracking: <a href="#">ABC123</a></p>',
          created_at: t + 5,
          author: { type: 'bot', id: 'fin' },
        },
        {
          type: 'conversation_part',
          part_type: 'comment',
          body: '<p>Great, thank you so much.</p>',
          created_at: t + 60,
          author: { type: 'user', id: `u${i}` },
        },
        {
          type: 'conversation_part',
          part_type: 'close',
          body: null,
          created_at: t + 120,
          author: { type: 'bot' },
        },
      ],
    },
  });
}

function zendeskLine(i: number): string {
  const at = new Date((T0 + i * 60) * 1000).toISOString();
  return JSON.stringify({
    id: i + 1,
    created_at: at,
    subject: `Order ${i} missing`,
    description: `My order ${i} has not arrived and I need it by Friday.`,
    status: 'solved',
    tags: ['shipping', 'order'],
    via: { channel: i % 2 ? 'email' : 'web' },
    requester_id: 10,
    satisfaction_rating: { score: i % 3 ? 'good' : 'offered' },
    comments: [
      {
        author_id: 10,
        body: `My order ${i} has not arrived and I need it by Friday.`,
        public: true,
        created_at: at,
      },
      { author_id: 20, body: 'Sorry about that — it ships today.', public: true, created_at: at },
    ],
  });
}

function csvLine(i: number): string {
  const at = new Date((T0 + i * 60) * 1000).toISOString();
  return `${i},${at},"My order ${i} has not arrived, where is it?""",${i % 2 ? 'resolved' : 'escalated'},${(i % 5) + 1},chat`;
}

function canonicalLine(i: number): string {
  const at = `${new Date((T0 + i * 60) * 1000).toISOString().slice(0, 19)}Z`;
  return JSON.stringify({
    id: `c-${i}`,
    accountId: 'acme',
    createdAt: at,
    channel: 'chat',
    aiInvolved: true,
    aiResolutionState: 'assumed_resolution',
    reopened: false,
    csat: 4,
    messages: [
      { role: 'customer', text: `Where is my order ${i}?`, at },
      { role: 'ai', text: 'It shipped yesterday.', at },
    ],
  });
}

const GEN: Record<string, { ext: string; header?: string; line: (i: number) => string }> = {
  intercom: { ext: 'jsonl', line: intercomLine },
  zendesk: { ext: 'jsonl', line: zendeskLine },
  csv: { ext: 'csv', header: 'conversation_id,created_at,message,outcome,csat,channel', line: csvLine },
  canonical: { ext: 'jsonl', line: canonicalLine },
};

async function runOne(name: string, dir: string) {
  const g = GEN[name]!;
  const file = join(dir, `${name}.${g.ext}`);
  // Written in batches so the generator itself does not inflate the measured RSS.
  const fd = openSync(file, 'w');
  let size = 0;
  let batch: string[] = g.header ? [g.header] : [];
  for (let i = 0; i < N; i++) {
    batch.push(g.line(i));
    if (batch.length === 2000 || i === N - 1) {
      const text = `${batch.join('\n')}\n`;
      size += Buffer.byteLength(text);
      writeSync(fd, text);
      batch = [];
    }
  }
  closeSync(fd);
  const rssBefore = process.memoryUsage().rss / 1048576;
  const t = performance.now();
  let n = 0;
  let report: ImportReport | null = null;
  for await (const ev of importFile(file, { accountId: 'bench' })) {
    if (ev.type === 'conversation') n++;
    else if (ev.type === 'report') report = ev.report;
  }
  const s = (performance.now() - t) / 1000;
  const peak = process.resourceUsage().maxRSS / 1024;
  console.log(
    `${name.padEnd(9)} ${N} records, ${(size / 1e6).toFixed(0)} MB: imported ${n}, skipped ${report?.skipped}, rejected ${report?.rejected} in ${s.toFixed(2)} s → ${Math.round(N / s).toLocaleString('en-US')} records/s, ${(size / 1e6 / s).toFixed(0)} MB/s; RSS before import ${rssBefore.toFixed(0)} MB, peak ${peak.toFixed(0)} MB`,
  );
}

const names = which === 'all' ? Object.keys(GEN) : [which];
if (names.length > 1) {
  // One process per format, so each peak RSS is its own.
  for (const name of names) {
    const r = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--n', String(N), '--format', name],
      {
        stdio: 'inherit',
      },
    );
    if (r.status !== 0) process.exitCode = 1;
  }
} else {
  const dir = mkdtempSync(join(tmpdir(), 'bench-import-'));
  try {
    await runOne(names[0]!, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
