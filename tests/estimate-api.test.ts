import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AccountDetail,
  AccountsResponse,
  ActionsResponse,
  BreakdownResponse,
  CxResponse,
  ErrorBody,
  EstimateLimits,
  EstimatePreview,
  EstimateResult,
  EstimateStreamLine,
  ProspectsResponse,
  SamplesResponse,
} from '../server/api-types.ts';
import { createApp } from '../server/app.ts';
import { openServingDb } from '../server/db/open.ts';
import { openProspectStore } from '../server/db/prospects.ts';
import { type CxCurves, calibratedCx } from '../server/domain/cx.ts';
import { isNonRequest } from '../server/domain/taxonomy.ts';
import { MAX_ESTIMATE_BYTES } from '../server/routes/estimate.ts';
import { buildFixtureDb, tempDir } from './helpers.ts';

const FIX = join(import.meta.dirname, 'fixtures', 'imports');
const fixture = (name: string) => readFileSync(join(FIX, name));

let db: Database.Database;
let app: ReturnType<typeof createApp>;
let small: ReturnType<typeof createApp>;

beforeAll(async () => {
  db = openServingDb(await buildFixtureDb());
  app = createApp(db, { prospectsDb: join(tempDir(), 'prospects.db') });
  small = createApp(db, { prospectsDb: null, estimateMaxBytes: 1000 });
});
afterAll(() => db.close());

type ErrorLine = Extract<EstimateStreamLine, { type: 'error' }>;
type ResultLine = Extract<EstimateStreamLine, { type: 'result' }>;

async function upload(
  body: BodyInit | null,
  query = '',
  headers: Record<string, string> = {},
  target = app,
): Promise<{ status: number; type: string | null; lines: EstimateStreamLine[]; res: Response }> {
  const res = await target.request(`/api/estimate${query}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/octet-stream', ...headers },
  });
  const type = res.headers.get('content-type');
  if (!type?.includes('ndjson')) return { status: res.status, type, lines: [], res };
  const text = await res.text();
  const lines = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as EstimateStreamLine);
  return { status: res.status, type, lines, res };
}

const target415 = () =>
  app.request('/api/estimate', {
    method: 'POST',
    body: new ReadableStream<Uint8Array>({ start: (controller) => controller.close() }),
    headers: { 'content-type': 'application/octet-stream' },
    duplex: 'half',
  } as RequestInit);

const resultOf = (lines: EstimateStreamLine[]) => {
  const last = lines.at(-1)!;
  expect(last.type, JSON.stringify(last)).toBe('result');
  return last as ResultLine;
};

describe('GET /api/estimate/limits', () => {
  it('states the size limit, formats and verticals up front', async () => {
    const res = await app.request('/api/estimate/limits');
    expect(res.status).toBe(200);
    const body = (await res.json()) as EstimateLimits;
    expect(body.maxBytes).toBe(MAX_ESTIMATE_BYTES);
    expect(body.maxBytesLabel).toBe('200 MB');
    expect(body.formats.map((f) => f.id)).toEqual(['canonical', 'intercom', 'zendesk', 'csv', 'records']);
    expect(body.verticals).toEqual(expect.arrayContaining(['ecommerce', 'saas', 'fintech', 'other']));
    expect(body.previewBytes).toBe(65536);
  });
});

describe('POST /api/estimate', () => {
  it.each([
    ['canonical.jsonl', 'canonical', 2],
    ['intercom.jsonl', 'intercom', 4],
    ['intercom-page.json', 'intercom', undefined],
    ['zendesk-tickets.json', 'zendesk', 2],
    ['conversations.csv', 'csv', undefined],
  ] as const)(
    'estimates %s (%s) as an NDJSON stream of progress, then the result',
    async (file, format, n) => {
      const { status, type, lines } = await upload(fixture(file), '?vertical=ecommerce', {
        'x-file-name': file,
      });
      expect(status).toBe(200);
      expect(type).toMatch(/^application\/x-ndjson/);
      expect(lines[0]).toMatchObject({ type: 'progress', bytes: 0, records: 0 });
      expect(lines.slice(0, -1).every((l) => l.type === 'progress')).toBe(true);
      const r = resultOf(lines);
      expect(r.report.format).toBe(format);
      if (n !== undefined) expect(r.conversations).toBe(n);
      // Intercom's bot parts: the page's "no AI agent yet" is the estimate's premise, and the report says so
      if (file === 'intercom.jsonl')
        expect(r.report.notes, JSON.stringify(r.report.notes)).toContain(
          'AI outcomes in the file are not used: an AI agent took part in 3 of 4 conversations, but a prospect’s estimate stands on its topics, as if none had',
        );
      // and the result counts them, so the page can say it beside the figures
      const agent = { 'intercom.jsonl': [3, 2], 'canonical.jsonl': [1, 1], 'zendesk-tickets.json': [0, 0] }[
        file as string
      ];
      if (agent) expect([r.aiInvolved, r.aiResolved]).toEqual(agent);
      expect(r.vertical).toBe('ecommerce');
      expect(r.fileName).toBe(file);
      expect(r.saved).toBe(false);
      expect(r.potential).toBeGreaterThan(0);
      expect(r.potentialLow!).toBeLessThanOrEqual(r.potential!);
      expect(r.potentialHigh!).toBeGreaterThanOrEqual(r.potential!);
      expect(r.classes).toHaveLength(4);
      expect(r.leaves.length).toBeGreaterThan(0);
      expect(r.actions.length).toBeGreaterThan(0);
      expect(r.actions[0]!.rank).toBe(1);
    },
  );

  it('shows the CSV mapping and the rejected rows with their lines', async () => {
    const r = resultOf(
      (await upload(fixture('conversations.csv'), '', { 'x-file-name': 'export.csv' })).lines,
    );
    expect(r.report.mapping).toMatchObject({ 'Ticket ID': 'id', Description: 'text' });
    expect(r.report.rejects.length).toBeGreaterThan(0);
    expect(r.report.rejects[0]!.line).toBeGreaterThan(1);
    expect(r.vertical).toBe('other');
    expect(r.name).toBe('export');
    // the mapping says the outcome is not used; the notes do not say it is read, and say how much of
    // the file an AI agent was in (its Resolution column marks some conversations as the AI agent's)
    const aiNote = r.report.notes.find((n) => n.startsWith('AI outcomes in the file are not used'));
    expect(aiNote).toMatch(
      /^AI outcomes in the file are not used: an AI agent took part in \d+ of \d+ conversations, but a prospect’s estimate stands on its topics, as if none had$/,
    );
    expect(r.report.notes.join('\n')).not.toMatch(/read from the outcome column|no outcome column/);
  });

  it('reports a bad file in the stream, naming the problem', async () => {
    const bin = await upload(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]));
    expect(bin.status).toBe(200);
    const err = bin.lines.at(-1) as ErrorLine;
    expect(err).toMatchObject({ type: 'error', status: 422, error: { code: 'binary' } });
    expect(err.error.message).toMatch(/ZIP archive/);
    // 0x81 and 0x8f: neither UTF-8 nor Windows-1252 (which a plain Excel CSV is, and is read)
    const latin1 = await upload(
      Buffer.from('id,created_at,text\n1,2026-03-01,caf\x81\n2,2026-03-01,th\x8f\n', 'latin1'),
    );
    expect(latin1.lines.at(-1)).toMatchObject({ type: 'error', error: { code: 'encoding' }, line: 2 });
    const unknown = await upload('hello\nworld\n');
    expect(unknown.lines.at(-1)).toMatchObject({ type: 'error', error: { code: 'unknown_format' } });
  });

  it('refuses a file over the limit while streaming (413 in the stream)', async () => {
    const { status, lines } = await upload(fixture('intercom.jsonl'), '?save=1', {}, small);
    expect(status).toBe(200);
    const err = lines.at(-1) as ErrorLine;
    expect(err).toMatchObject({ type: 'error', status: 413, error: { code: 'too_large' } });
    expect(err.error.message).toMatch(/too large/);
  });

  it('refuses by Content-Length before reading (413)', async () => {
    const res = await small.request('/api/estimate', {
      method: 'POST',
      body: 'x'.repeat(2000),
      headers: { 'content-type': 'application/octet-stream', 'content-length': '2000' },
    });
    expect(res.status).toBe(413);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe('too_large');
    expect(body.error.message).toMatch(/over the 1000 bytes limit/);
  });

  it('400 on a bad query, 415 on an empty body or a form upload', async () => {
    const bad = await upload(fixture('canonical.jsonl'), '?vertical=Not%20valid!');
    expect(bad.status).toBe(400);
    expect(((await bad.res.json()) as ErrorBody).error).toMatchObject({ code: 'bad_request' });
    const unknown = await upload(fixture('canonical.jsonl'), '?vertical=spaceships');
    expect(unknown.status).toBe(400);
    expect(((await unknown.res.json()) as ErrorBody).error.message).toMatch(/unknown vertical "spaceships"/);
    // a vertical spelled as the pipeline reads it
    const spelled = await upload(fixture('canonical.jsonl'), '?vertical=E-Commerce');
    expect(spelled.status).toBe(200);
    expect(resultOf(spelled.lines).vertical).toBe('ecommerce');
    const save = await upload(fixture('canonical.jsonl'), '?save=maybe');
    expect(save.status).toBe(400);
    const empty = await upload('', '', { 'content-length': '0' });
    expect(empty.status).toBe(415);
    expect(((await empty.res.json()) as ErrorBody).error.code).toBe('empty');
    const none = await upload(null);
    expect(none.status).toBe(415);
    // a body that ends before its first byte (what Node hands on for a POST with no Content-Length
    // and no chunks): 415 before any answer starts, not a 200 stream ending in an error line
    const nothing = await target415();
    expect(nothing.status).toBe(415);
    expect(((await nothing.json()) as ErrorBody).error.code).toBe('empty');
    const form = await upload('x', '', { 'content-type': 'multipart/form-data; boundary=x' });
    expect(form.status).toBe(415);
    expect(((await form.res.json()) as ErrorBody).error.code).toBe('unsupported_media_type');
  });

  it('names a prospect without line breaks or direction overrides, and in at most 120 characters', async () => {
    const named = await upload(
      fixture('canonical.jsonl'),
      `?name=${encodeURIComponent('\u202eAcme\n  Corp\r')}`,
    );
    expect((named.lines.at(-1) as ResultLine).name).toBe('Acme Corp');
    const long = await upload(fixture('canonical.jsonl'), `?name=${'a'.repeat(121)}`);
    expect(long.status).toBe(400);
    expect(((await long.res.json()) as ErrorBody).error.message).toMatch(/name is at most 120 characters/);
    const blank = await upload(fixture('canonical.jsonl'), `?name=${encodeURIComponent('\u200b\n')}`);
    expect(blank.status).toBe(400);
    const fromFile = await upload(fixture('canonical.jsonl'), '', {
      'x-file-name': encodeURIComponent(`${'b'.repeat(5000)}\u0000.csv`),
    });
    const result = fromFile.lines.at(-1) as ResultLine;
    expect(result.name).toBe('b'.repeat(120));
    expect(result.fileName).not.toContain('\u0000');
    // a cut through an emoji leaves no half of it (a lone surrogate is not valid UTF-8 in SQLite)
    const emoji = await upload(fixture('canonical.jsonl'), '', {
      'x-file-name': encodeURIComponent(`a${'😀'.repeat(200)}`),
    });
    const cut = emoji.lines.at(-1) as ResultLine;
    expect(cut.name).toMatch(/^a(😀)+$/u);
    expect(cut.fileName).toMatch(/^a(😀)+$/u);
    // a name sent as raw UTF-8 bytes (as curl -H sends it) reads as written, not as mojibake
    const raw = await upload(fixture('canonical.jsonl'), '', {
      'x-file-name': Buffer.from('Résumé 😀.jsonl').toString('latin1'),
    });
    expect((raw.lines.at(-1) as ResultLine).fileName).toBe('Résumé 😀.jsonl');
    // a latin1 name that is not valid UTF-8 stays as it came
    const latin = await upload(fixture('canonical.jsonl'), '', { 'x-file-name': 'caf\u00e9.jsonl' });
    expect((latin.lines.at(-1) as ResultLine).fileName).toBe('caf\u00e9.jsonl');
  });

  it('lists a prospect whose export ends before this month with no conversations this month, one that reaches it with its count', async () => {
    const folder = tempDir();
    const own = createApp(db, { prospects: openProspectStore(join(folder, 'prospects.db')) });
    const month = ((await (await own.request('/api/accounts?status=customer')).json()) as AccountsResponse)
      .month!;
    const csv = (m: string) =>
      `id,createdAt,text\n${Array.from({ length: 12 }, (_, i) => `r${i},${m}-0${(i % 9) + 1}T10:00:00Z,where is my order`).join('\n')}\n`;
    await upload(csv('2024-01'), '?save=1&name=Old%20Export', {}, own);
    await upload(csv(month), '?save=1&name=This%20Month', {}, own);
    const rows = ((await (await own.request('/api/accounts?status=prospect')).json()) as AccountsResponse)
      .accounts;
    expect(rows.map((r) => [r.name, r.month, r.conversations, r.automationRate]).sort()).toEqual([
      ['Old Export', month, 0, null],
      ['This Month', month, 12, 0],
    ]);
  });

  it('refuses a new saved prospect past the cap with 409 prospects_full, recording nothing', async () => {
    const folder = tempDir();
    const store = openProspectStore(join(folder, 'prospects.db'), { maxSaved: 1 });
    const audit = join(folder, 'audit.jsonl');
    const capped = createApp(db, { prospects: store, auditLog: audit });
    const first = await upload(fixture('intercom.jsonl'), '?save=1&name=First', {}, capped);
    expect(first.lines.at(-1)).toMatchObject({ type: 'result', saved: true });
    const other = await upload(fixture('zendesk-tickets.json'), '?save=1&name=Second', {}, capped);
    expect(other.lines.at(-1)).toMatchObject({
      type: 'error',
      status: 409,
      error: {
        code: 'prospects_full',
        message: expect.stringMatching(/^1 prospects are saved, the most this server keeps/),
      },
    });
    const saves = readFileSync(audit, 'utf8').trim().split('\n');
    expect(saves).toHaveLength(1);
    // the same export saved again replaces its prospect
    const again = await upload(fixture('intercom.jsonl'), '?save=1&name=First%20again', {}, capped);
    expect(again.lines.at(-1)).toMatchObject({ type: 'result', saved: true, name: 'First again' });
    // an unsaved estimate is not held back by the cap, but saving it afterwards is, unrecorded
    const unsaved = (await upload(fixture('zendesk-tickets.json'), '', {}, capped)).lines.at(
      -1,
    ) as ResultLine;
    expect(unsaved).toMatchObject({ type: 'result', saved: false });
    const later = await capped.request(`/api/estimate/prospects/${encodeURIComponent(unsaved.id)}/save`, {
      method: 'POST',
    });
    expect(later.status).toBe(409);
    expect(((await later.json()) as ErrorBody).error.code).toBe('prospects_full');
    expect(readFileSync(audit, 'utf8').trim().split('\n')).toHaveLength(2);
    store.close();
  });

  it('answers a file the worker refuses while its upload is still arriving, and stays up', async () => {
    // A CSV without a text column, then a sender that goes quiet: the worker fails on the head
    // while the body is still open. That failure once went unhandled and stopped the server.
    let uploadCancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`id,channel\n${'1,chat\n'.repeat(14000)}`));
      },
      pull: () => new Promise(() => {}), // never sends more
      cancel() {
        uploadCancelled = true;
      },
    });
    const init = {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { 'content-type': 'application/octet-stream' },
    };
    const res = await app.fetch(new Request('http://localhost/api/estimate', init as RequestInit));
    expect(res.status).toBe(200);
    const lines = (await res.text())
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as EstimateStreamLine);
    const last = lines.at(-1) as ErrorLine;
    expect(last.type).toBe('error');
    expect(last.error.code).toBe('missing_columns');
    expect(uploadCancelled).toBe(true);
    expect((await app.request('/api/health')).status).toBe(200);
  });

  it('gives up an upload that goes quiet (408 stalled) and frees its slot for the next one', async () => {
    const quick = createApp(db, { prospectsDb: null, uploadIdleMs: 300, maxConcurrentEstimates: 1 });
    const quiet = () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(fixture('canonical.jsonl').subarray(0, 100));
        },
        pull: () => new Promise(() => {}), // then nothing more
      });
    const init = {
      method: 'POST',
      body: quiet(),
      duplex: 'half',
      headers: { 'content-type': 'application/octet-stream' },
    };
    const res = await quick.fetch(new Request('http://localhost/api/estimate', init as RequestInit));
    const last = JSON.parse((await res.text()).trim().split('\n').at(-1)!) as ErrorLine;
    expect(last).toMatchObject({ type: 'error', status: 408, error: { code: 'stalled' } });
    expect(last.error.message).toBe('the upload stalled: nothing arrived for 300 ms; send the file again');
    // the one slot is free again
    const { lines } = await upload(fixture('canonical.jsonl'), '', {}, quick);
    expect(lines.at(-1)?.type).toBe('result');
    const preview = await quick.fetch(
      new Request('http://localhost/api/estimate/preview', { ...init, body: quiet() } as RequestInit),
    );
    expect(preview.status).toBe(408);
    expect(((await preview.json()) as ErrorBody).error.code).toBe('stalled');
  });

  it('gives up an upload that trickles in under the minimum rate, which the idle rule alone let through', async () => {
    const slowApp = createApp(db, {
      prospectsDb: null,
      uploadIdleMs: 1000,
      uploadGraceMs: 200,
      uploadMinBytesPerSecond: 16 * 1024,
    });
    const line = fixture('canonical.jsonl').subarray(0, 40);
    let sent = 0;
    const trickle = new ReadableStream<Uint8Array>({
      // a few bytes every 60 ms: never quiet for the idle rule, far under 16 KB/s
      pull: (controller) =>
        new Promise<void>((resolve) => {
          setTimeout(() => {
            controller.enqueue(line.subarray(sent % 40, (sent % 40) + 4));
            sent += 4;
            resolve();
          }, 60);
        }),
    });
    const init = { method: 'POST', body: trickle, duplex: 'half', headers: { 'content-type': 'text/plain' } };
    const res = await slowApp.fetch(new Request('http://localhost/api/estimate', init as RequestInit));
    const last = JSON.parse((await res.text()).trim().split('\n').at(-1)!) as ErrorLine;
    expect(last).toMatchObject({ type: 'error', status: 408, error: { code: 'stalled' } });
    expect(last.error.message).toMatch(
      /^the upload is too slow: \d+ bytes\/s on average, under the 16 KB\/s an estimate needs; send the file again from a faster connection, or gzip it$/,
    );
  });

  it('runs one estimate at a time per user; another user still gets the second slot', async () => {
    const shared = createApp(db, {
      prospectsDb: null,
      maxConcurrentEstimates: 2,
      who: (req) => req.headers.get('x-test-user') ?? 'nobody',
    });
    let feed: ReadableStreamDefaultController<Uint8Array> | undefined;
    const held = new ReadableStream<Uint8Array>({
      start(controller) {
        feed = controller;
        controller.enqueue(new TextEncoder().encode('id,created_at,text\n'));
      },
    });
    const as = (user: string, body: BodyInit) =>
      shared.fetch(
        new Request('http://localhost/api/estimate', {
          method: 'POST',
          body,
          duplex: 'half',
          headers: { 'content-type': 'text/plain', 'x-test-user': user },
        } as RequestInit),
      );
    const first = await as('ann', held);
    expect(first.status).toBe(200);
    const again = await as('ann', fixture('canonical.jsonl'));
    expect(again.status).toBe(503);
    expect(((await again.json()) as ErrorBody).error.message).toBe(
      'an estimate of yours is already running: wait for it to finish, or cancel it',
    );
    const other = await as('bob', fixture('canonical.jsonl'));
    expect(other.status).toBe(200);
    expect((await other.text()).trim().split('\n').at(-1)).toContain('"type":"result"');
    feed!.enqueue(new TextEncoder().encode('q-1,2026-03-01T10:00:00Z,Where is my parcel?\n'));
    feed!.close();
    expect((await first.text()).trim().split('\n').at(-1)).toContain('"type":"result"');
    expect((await as('ann', fixture('canonical.jsonl'))).status).toBe(200);
  });

  it('counts uploads still waiting for their first byte against the limit', async () => {
    const one = createApp(db, { prospectsDb: null, maxConcurrentEstimates: 1 });
    // each body's first chunk comes 300 ms late
    const late = () =>
      new ReadableStream<Uint8Array>({
        start: (controller) =>
          new Promise<void>((resolve) =>
            setTimeout(() => {
              controller.enqueue(fixture('canonical.jsonl'));
              controller.close();
              resolve();
            }, 300),
          ),
      });
    const post = () =>
      one.fetch(
        new Request('http://localhost/api/estimate', {
          method: 'POST',
          body: late(),
          duplex: 'half',
          headers: { 'content-type': 'application/octet-stream' },
        } as RequestInit),
      );
    const answers = await Promise.all([post(), post(), post(), post()]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 503, 503, 503]);
    for (const r of answers) await r.text();
    // the slot is free again once the first is done
    expect((await post()).status).toBe(200);
  });

  it('stops processing when the client goes away', async () => {
    // The client stops reading the response (what the Node server does when the socket closes):
    // the import must stop pulling the upload. Request.signal is not used here: undici links it
    // to the caller's signal through a weak reference that garbage collection can break in tests.
    let pulls = 0;
    let uploadCancelled!: () => void;
    const cancelled = new Promise<void>((resolve) => {
      uploadCancelled = resolve;
    });
    const head = fixture('canonical.jsonl');
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        if (pulls === 1) controller.enqueue(head);
        // then never sends more: a stalled upload
        return new Promise(() => {});
      },
      cancel() {
        uploadCancelled();
      },
    });
    const init = {
      method: 'POST',
      body,
      duplex: 'half', // Node's fetch needs it for a streamed body
      headers: { 'content-type': 'application/octet-stream' },
    };
    const res = await app.fetch(new Request('http://localhost/api/estimate', init as RequestInit));
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(JSON.parse(first.split('\n')[0]!)).toMatchObject({ type: 'progress' });
    await reader.cancel();
    await cancelled;
    expect(pulls).toBe(1);
  });
});

describe('saved prospects', () => {
  let saved: EstimateResult;

  it('saves with save=1, idempotently, and nothing when the file is bad', async () => {
    const q = '?vertical=saas&name=Globex%20Prospect&save=1';
    const first = resultOf((await upload(fixture('intercom.jsonl'), q, { 'x-file-name': 'g.jsonl' })).lines);
    const second = resultOf((await upload(fixture('intercom.jsonl'), q, { 'x-file-name': 'g.jsonl' })).lines);
    expect(first.saved).toBe(true);
    expect(second.id).toBe(first.id);
    const bad = await upload('{"broken": ', '?save=1&name=Broken');
    expect(bad.lines.at(-1)!.type).toBe('error');
    const list = (await (await app.request('/api/estimate/prospects')).json()) as ProspectsResponse;
    expect(list.prospects.map((p) => [p.id, p.name])).toEqual([[first.id, 'Globex Prospect']]);
    // estimated again, unsaved, under another name: the result says which name it was saved as
    // (the prospect's page shows the saved one), and says nothing when the names agree
    const again = resultOf(
      (
        await upload(fixture('intercom.jsonl'), '?vertical=saas&name=Another%20Name', {
          'x-file-name': 'g.jsonl',
        })
      ).lines,
    );
    expect(again).toMatchObject({
      id: first.id,
      name: 'Another Name',
      saved: false,
      savedAs: 'Globex Prospect',
    });
    const same = resultOf(
      (
        await upload(fixture('intercom.jsonl'), '?vertical=saas&name=Globex%20Prospect', {
          'x-file-name': 'g.jsonl',
        })
      ).lines,
    );
    expect(same.savedAs).toBeUndefined();
    // the same export under the same name is the saved prospect, as GET /prospects/:id says
    expect(same.saved).toBe(true);
    const got = (await (await app.request(`/api/estimate/prospects/${first.id}`)).json()) as {
      saved: boolean;
    };
    expect(got.saved).toBe(true);
    const { type: _t, ...rest } = second;
    saved = rest;
  });

  it('marks the topics of an export read with low confidence "unsure fit" in its breakdown', async () => {
    // an energy supplier's requests: no topic of the taxonomy is about meters or tariffs
    const rows = [
      'the smart meter display has gone blank',
      'my meter reading on the app looks far too high this quarter',
      'there is a power cut on our street since this morning',
    ].map((text, i) => `e${i},2026-03-0${i + 1}T10:00:00Z,${text}`);
    const result = resultOf((await upload(`id,created_at,text\n${rows.join('\n')}\n`, '?name=Grid')).lines);
    const breakdown = (await (
      await app.request(`/api/accounts/${encodeURIComponent(result.id)}/breakdown`)
    ).json()) as BreakdownResponse;
    const unsure = breakdown.leaves.filter((l) => l.uncertain);
    expect(unsure.length).toBeGreaterThan(0);
    for (const l of unsure) {
      const estimated = result.leaves.find((x) => x.taxonomyId === l.taxonomyId)!;
      expect(estimated.confidence).toBeLessThan(0.5);
      expect(l.uncertain).toEqual({ confidence: estimated.confidence });
    }
  });

  it('returns a saved estimate by id, 404 for an unknown one', async () => {
    const res = await app.request(`/api/estimate/prospects/${saved.id}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as EstimateResult).potential).toBe(saved.potential);
    const missing = await app.request('/api/estimate/prospects/prospect-nope');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ErrorBody).error.code).toBe('not_found');
  });

  it('lists it in /api/accounts with status prospect, and serves its detail', async () => {
    const prospects = (await (await app.request('/api/accounts?status=prospect')).json()) as AccountsResponse;
    expect(prospects.accounts).toHaveLength(1);
    expect(prospects.accounts[0]).toMatchObject({
      id: saved.id,
      name: 'Globex Prospect',
      status: 'prospect',
      vertical: 'saas',
      conversations: saved.conversations,
      automationPotential: saved.potential,
      potentialLow: saved.potentialLow,
      potentialHigh: saved.potentialHigh,
      // SPEC §1 on its counts: 0 of its conversations involved; resolution has no denominator
      involved: 0,
      automationRate: 0,
      involvementRate: 0,
      resolutionRate: null,
    });
    const customers = (await (await app.request('/api/accounts?status=customer')).json()) as AccountsResponse;
    expect(customers.accounts.map((a) => a.id).sort()).toEqual(['acme', 'globex', 'initech']);
    const all = (await (await app.request('/api/accounts')).json()) as AccountsResponse;
    expect(all.accounts).toHaveLength(4);
    expect(all.totals.accounts).toBe(3);

    const res = await app.request(`/api/accounts/${saved.id}`);
    expect(res.status).toBe(200);
    const detail = (await res.json()) as AccountDetail;
    expect(detail.status).toBe('prospect');
    expect(detail.months.reduce((n, m) => n + m.conversations, 0)).toBe(saved.conversations);
    expect(detail.months.every((m) => m.automationRate === 0 && m.involved === 0)).toBe(true);
    expect(detail.window.months).toBe(detail.months.length);
  });

  it('serves breakdown, actions, CX and example conversations like an account', async () => {
    const get = async <T>(path: string): Promise<T> => {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      return (await res.json()) as T;
    };
    const id = encodeURIComponent(saved.id);
    const breakdown = await get<BreakdownResponse>(`/api/accounts/${id}/breakdown`);
    expect(breakdown.leaves.map((l) => l.taxonomyId)).toEqual(saved.leaves.map((l) => l.taxonomyId));
    // every conversation is in a topic but those without a customer word (an outbound message here)
    expect(saved.noText).toBe(1);
    expect(breakdown.leaves.reduce((n, l) => n + l.conversations, 0)).toBe(
      saved.conversations - (saved.noText ?? 0) - (saved.unreadable ?? 0),
    );
    // no AI agent yet: 0 of each topic's conversations automated (resolution has no denominator),
    // and the gap is what the topic adds at peer level
    for (const l of breakdown.leaves) {
      expect(l.automationRate).toBe(0);
      expect(l.involvementRate).toBe(0);
      expect(l.resolutionRate).toBeNull();
      const estimated = saved.leaves.find((x) => x.taxonomyId === l.taxonomyId)!;
      expect(l.gapPoints).toBeCloseTo(estimated.points, 12);
      // a topic read with under 50% confidence says so (greetings and small talk always are: not them)
      expect(l.uncertain).toEqual(
        estimated.uncertain && !isNonRequest(l.taxonomyId) ? { confidence: estimated.confidence } : undefined,
      );
    }
    expect(breakdown.classes.map((c) => c.automationClass)).toEqual([
      'informational',
      'personalized',
      'action',
      'human',
    ]);

    const actions = await get<ActionsResponse>(`/api/accounts/${id}/actions`);
    expect(actions.current).toBe(0);
    expect(actions.potential).toBe(saved.potential);
    expect(actions.actions.map((a) => a.title)).toEqual(saved.actions.map((a) => a.title));

    const leaf = saved.leaves.find((l) => l.samples.length > 0)!;
    const samples = await get<SamplesResponse>(
      `/api/accounts/${id}/samples?taxonomyId=${encodeURIComponent(leaf.taxonomyId)}`,
    );
    expect(samples.samples.map((s) => s.id)).toEqual(leaf.samples.map((s) => s.id));
    for (const s of samples.samples) {
      expect(s.cx.score).toBeGreaterThanOrEqual(1);
      expect(s.cx.score).toBeLessThanOrEqual(5);
      expect(s.cx.explanation).toMatch(/No AI involvement|Handled by a human agent/);
    }

    const cx = await get<CxResponse>(`/api/accounts/${id}/cx`);
    const sampled = saved.leaves.reduce((n, l) => n + l.samples.length, 0);
    expect(cx.distribution.reduce((n, d) => n + d.conversations, 0)).toBe(sampled);
    expect(cx.calibration).toBeNull();
    // no ratings in a prospect's export: no calibration curve, no disagreement queue
    expect(cx.calibrationCurve).toEqual([]);
    expect(cx.disagreements).toEqual([]);
    // the distribution's drill-down: each bucket's count, up to 12 examples, are the examples in it
    for (const d of cx.distribution) {
      const bucket = await get<{ score: number; samples: SamplesResponse['samples'] }>(
        `/api/accounts/${id}/cx/samples?score=${d.score}`,
      );
      expect(bucket.samples.length).toBe(Math.min(12, d.conversations));
    }

    // an unknown id is still a 404 on every account endpoint
    for (const path of ['breakdown', 'actions', 'cx']) {
      const res = await app.request(`/api/accounts/prospect-nope/${path}`);
      expect(res.status).toBe(404);
    }
  });
});

describe("a prospect's CX on the customers' scale", () => {
  it('scores its example conversations with the serving database\u2019s calibration curves', async () => {
    // the fixture has too few ratings for curves: give a copy of it fitted-looking ones
    const file = join(tempDir(), 'calibrated.db');
    copyFileSync(await buildFixtureDb(), file);
    const curves: CxCurves = {
      intercept: 3.1,
      resolution: { x: [1, 3, 5], y: [-1.2, -0.2, 0.9] },
      sentiment: { x: [1, 5], y: [-0.6, 0.5] },
      effort: { x: [2, 5], y: [-0.4, 0.2] },
    };
    const writable = new BetterSqlite3(file);
    const key = 'cxCalibration';
    const meta = JSON.parse(
      writable.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string,
    );
    writable
      .prepare('UPDATE meta SET value = ? WHERE key = ?')
      .run(JSON.stringify({ ...meta, method: 'isotonic', curves, weights: [0.3, 0.5, 0.2] }), key);
    writable.close();
    const calibratedDb = openServingDb(file);
    const calibrated = createApp(calibratedDb, { prospectsDb: null });
    const res = await calibrated.request('/api/estimate?vertical=ecommerce', {
      method: 'POST',
      body: fixture('canonical.jsonl'),
      headers: { 'content-type': 'application/octet-stream' },
    });
    const result = JSON.parse((await res.text()).trim().split('\n').at(-1)!) as ResultLine;
    const leaf = result.leaves.find((l) => l.samples.length > 0)!;
    const samples = (await (
      await calibrated.request(
        `/api/accounts/${encodeURIComponent(result.id)}/samples?taxonomyId=${encodeURIComponent(leaf.taxonomyId)}`,
      )
    ).json()) as SamplesResponse;
    expect(samples.samples.length).toBeGreaterThan(0);
    for (const s of samples.samples) {
      const { resolution, sentiment, effort } = s.cx;
      expect(s.cx.score).toBe(calibratedCx(resolution, sentiment, effort, [0.3, 0.5, 0.2], curves));
      // not the uncalibrated weighted mean it used to be
      expect(s.cx.score).not.toBe(calibratedCx(resolution, sentiment, effort));
    }
    calibratedDb.close();
  });
});

describe('unsaved estimates are temporary prospects', () => {
  it('opens on the account endpoints at once, stays out of the triage, and saves by id', async () => {
    const fresh = createApp(db, { prospectsDb: join(tempDir(), 'temporary.db') });
    const q = '?vertical=ecommerce&name=Initial%20name';
    const r = resultOf((await upload(fixture('zendesk-tickets.json'), q, {}, fresh)).lines);
    expect(r.saved).toBe(false);
    const id = encodeURIComponent(r.id);
    const detail = await fresh.request(`/api/accounts/${id}`);
    expect(detail.status).toBe(200);
    expect(((await detail.json()) as AccountDetail).status).toBe('prospect');
    for (const path of ['breakdown', 'actions', 'cx'])
      expect((await fresh.request(`/api/accounts/${id}/${path}`)).status, path).toBe(200);
    const unsaved = (await (await fresh.request(`/api/estimate/prospects/${id}`)).json()) as EstimateResult;
    expect(unsaved).toMatchObject({ id: r.id, saved: false, name: 'Initial name' });
    const listed = async () => ({
      triage: ((await (await fresh.request('/api/accounts?status=prospect')).json()) as AccountsResponse)
        .accounts.length,
      saved: ((await (await fresh.request('/api/estimate/prospects')).json()) as ProspectsResponse).prospects
        .length,
    });
    expect(await listed()).toEqual({ triage: 0, saved: 0 });

    const save = await fresh.request(`/api/estimate/prospects/${id}/save?name=Renamed`, { method: 'POST' });
    expect(save.status).toBe(200);
    expect((await save.json()) as EstimateResult).toMatchObject({ id: r.id, saved: true, name: 'Renamed' });
    expect(await listed()).toEqual({ triage: 1, saved: 1 });
    const again = await fresh.request(`/api/estimate/prospects/${id}/save`, { method: 'POST' });
    expect(((await again.json()) as EstimateResult).name).toBe('Renamed');
    expect(await listed()).toEqual({ triage: 1, saved: 1 });
  });

  it('says why an unknown or expired estimate cannot be saved (404)', async () => {
    const res = await app.request('/api/estimate/prospects/prospect-nope/save', { method: 'POST' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorBody).error.message).toBe(
      'no estimate "prospect-nope": unsaved estimates are kept for a day, by the server that made them; estimate the file again',
    );
  });

  it('will not save an estimate with over 1% of its records rejected (422), and keeps it unsaved', async () => {
    const rows = [
      'id,created_at,message',
      'a1,2026-03-01T10:00:00Z,Where is my parcel?',
      'a2,not a date,Where is my parcel?',
    ];
    const r = resultOf((await upload(rows.join('\n'), '?name=Rejects')).lines);
    expect(r.report.rejected).toBe(1);
    const res = await app.request(`/api/estimate/prospects/${encodeURIComponent(r.id)}/save`, {
      method: 'POST',
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as ErrorBody).error).toEqual({
      code: 'too_many_rejects',
      message:
        'not saved: 50.0% of the records were rejected, over the 1% a saved prospect allows; fix the rejected rows and estimate the file again',
    });
    const kept = (await (
      await app.request(`/api/estimate/prospects/${encodeURIComponent(r.id)}`)
    ).json()) as EstimateResult;
    expect(kept.saved).toBe(false);
  });
});

describe('POST /api/estimate/preview', () => {
  it('detects the format and the CSV mapping from the head of the file', async () => {
    const res = await app.request('/api/estimate/preview', {
      method: 'POST',
      body: fixture('conversations.csv'),
      headers: { 'x-file-name': 'export.csv' },
    });
    expect(res.status).toBe(200);
    const p = (await res.json()) as EstimatePreview;
    expect(p).toMatchObject({ format: 'csv', fileName: 'export.csv', delimiter: ',', gzip: false });
    expect(p.mapping).toMatchObject({ 'Ticket ID': 'id', 'Created At': 'createdAt', Description: 'text' });
    expect(p.ignored).toContain('Notes');
    expect(p.ignoredMore).toBeUndefined();
  });

  it('says a whole CSV of a header and no rows is empty, before the upload (422 empty, as the estimate)', async () => {
    for (const csv of ['id,created_at,text\n', 'sep=;\r\nid;created_at;text\r\n\r\n']) {
      const res = await app.request('/api/estimate/preview', { method: 'POST', body: csv });
      expect(res.status, csv).toBe(422);
      expect(((await res.json()) as ErrorBody).error).toEqual({
        code: 'empty',
        message: 'the CSV has a header row but no data rows',
      });
    }
    const one = await app.request('/api/estimate/preview', {
      method: 'POST',
      body: 'id,created_at,text\n1,2026-03-01,where is my order\n',
    });
    expect(one.status).toBe(200);
  });

  it('names the first 50 ignored columns and counts the rest', async () => {
    const extra = Array.from({ length: 5000 }, (_, i) => `extra_${i}`);
    const csv = `id,created_at,text,${extra.join(',')}\n1,2026-03-01,where is my order,${extra.map(() => '').join(',')}\n`;
    const res = await app.request('/api/estimate/preview', { method: 'POST', body: csv });
    const p = (await res.json()) as EstimatePreview;
    expect(p.ignored).toHaveLength(50);
    expect(p.ignored[0]).toBe('extra_0');
    expect(p.ignoredMore).toBe(4950);
  });

  it('reads gzip heads and only the first 64 KB', async () => {
    const { gzipSync } = await import('node:zlib');
    const big = Buffer.concat(Array.from({ length: 2000 }, () => fixture('intercom.jsonl')));
    const res = await app.request('/api/estimate/preview', { method: 'POST', body: gzipSync(big) });
    const p = (await res.json()) as EstimatePreview;
    expect(p).toMatchObject({ format: 'intercom', gzip: true });
  });

  it('calls a corrupt gzip corrupt, not empty (422 gzip)', async () => {
    const corrupt = Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.from('garbage')]);
    const res = await app.request('/api/estimate/preview', { method: 'POST', body: corrupt });
    expect(res.status).toBe(422);
    expect(((await res.json()) as ErrorBody).error).toMatchObject({ code: 'gzip' });
    // a sound gzip of nothing is an empty file, not a corrupt one
    const { gzipSync } = await import('node:zlib');
    const empty = await app.request('/api/estimate/preview', {
      method: 'POST',
      body: gzipSync(Buffer.alloc(0)),
    });
    expect(((await empty.json()) as ErrorBody).error).toMatchObject({ code: 'empty' });
  });

  it('says a file compressed twice is one, as the upload then does, instead of previewing its inside', async () => {
    const { gzipSync } = await import('node:zlib');
    const twice = gzipSync(gzipSync(fixture('intercom.jsonl')));
    const res = await app.request('/api/estimate/preview', { method: 'POST', body: twice });
    expect(res.status).toBe(422);
    const said = ((await res.json()) as ErrorBody).error;
    expect(said).toEqual({
      code: 'binary',
      message: 'not a text file: it is compressed twice (a .gz inside a .gz); decompress it once',
    });
    const up = await upload(twice);
    expect(up.lines.at(-1)).toMatchObject({ type: 'error', error: said });
  });

  it('says a file sent as a form (curl -d) lost its line breaks on the way', async () => {
    // what `curl -d @export.jsonl` sends: the lines joined, labelled a form
    const joined = fixture('canonical.jsonl').toString('utf8').replace(/\r?\n/g, '');
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const up = await upload(joined, '', form);
    const last = up.lines.at(-1) as Extract<EstimateStreamLine, { type: 'error' }>;
    expect(last.type).toBe('error');
    expect(last.error.message).toMatch(
      /its first bytes hold no line break: if it was sent with curl -d, which takes the line breaks out, send it with curl --data-binary @FILE\)$/,
    );
    // the same bytes with their line breaks, labelled a form as curl --data-binary does, are read
    const whole = await upload(fixture('canonical.jsonl'), '', form);
    expect(whole.lines.at(-1)).toMatchObject({ type: 'result' });
  });

  it('gives the curl -d hint only to a body that lost its line breaks', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const hint = /if it was sent with curl -d/;
    const errorOf = async (body: string) => {
      const up = await upload(body, '', form);
      const last = up.lines.at(-1) as ErrorLine;
      expect(last.type).toBe('error');
      return last.error.message;
    };
    // curl --data-binary: the same content type, line breaks intact — the file's own problem only
    const noText = `id,created_at,channel\n${'1,2026-03-01,chat\n'.repeat(60)}`;
    expect(await errorOf(noText)).not.toMatch(hint);
    const preview = await app.request('/api/estimate/preview', {
      method: 'POST',
      body: noText,
      headers: form,
    });
    expect(((await preview.json()) as ErrorBody).error.message).not.toMatch(hint);
    // a short one-line file, or one JSON document on one line, is what it is
    expect(await errorOf('hello')).not.toMatch(hint);
    expect(await errorOf(JSON.stringify({ unknown: 'x'.repeat(1000) }))).not.toMatch(hint);
    // the same CSV joined into one line, as curl -d sends it
    expect(await errorOf(noText.replace(/\n/g, ''))).toMatch(hint);
  });

  it('names the problem of an unusable file (422) and an empty body (415)', async () => {
    const bin = await app.request('/api/estimate/preview', {
      method: 'POST',
      body: Buffer.from([0, 1, 2, 3]),
    });
    expect(bin.status).toBe(422);
    expect(((await bin.json()) as ErrorBody).error.code).toBe('binary');
    const empty = await app.request('/api/estimate/preview', { method: 'POST', body: '' });
    expect(empty.status).toBe(415);
  });

  it('says at the preview that a CSV without a text column cannot be estimated, and one without a time column is read as one month', async () => {
    const preview = (body: string, name: string) =>
      app.request('/api/estimate/preview', {
        method: 'POST',
        body,
        headers: { 'x-file-name': name },
      });
    const noTime = await preview('id,text,channel\n1,where is my order,chat\n', 'export.csv');
    expect(noTime.status).toBe(200);
    expect(((await noTime.json()) as EstimatePreview).notes).toContain(
      'no time column: the file is read as one month of conversations (per-month figures are its totals)',
    );
    const noText = await preview('id,created_at,channel\n1,2026-03-01,chat\n', 'export.csv');
    expect(noText.status).toBe(422);
    expect(((await noText.json()) as ErrorBody).error).toEqual({
      code: 'missing_columns',
      message:
        'the CSV has no column for text (text, body, message, description, subject…); found columns: "id", "created_at", "channel"',
    });
    const nothing = await preview('foo,bar,baz\n1,2,3\n', 'wrongcols.csv');
    expect(nothing.status).toBe(422);
    expect(((await nothing.json()) as ErrorBody).error.message).toMatch(/no column for text/);
    const fine = await preview('id,created_at,text\n1,2026-03-01,hi\n', 'ok.csv');
    expect(fine.status).toBe(200);
  });

  it('answers a body cut off by the client as an aborted upload, not an internal error with a stack in the log', async () => {
    const cut = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('id,text,created_at\n1,hello,2026-10-01\n'));
        // what Node's request stream fails with when the client goes away mid-body
        setTimeout(() => controller.error(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })), 20);
      },
    });
    const logged: unknown[] = [];
    const consoleError = console.error;
    console.error = (...args: unknown[]) => logged.push(args);
    try {
      const res = await app.request('/api/estimate/preview', {
        method: 'POST',
        body: cut,
        duplex: 'half',
      } as RequestInit);
      expect(res.status).toBe(499);
      expect(((await res.json()) as ErrorBody).error.code).toBe('aborted');
    } finally {
      console.error = consoleError;
    }
    expect(logged).toEqual([]);
  });

  it('gives up a preview whose head trickles in, which the idle rule alone let through (408)', async () => {
    const slowApp = createApp(db, { prospectsDb: null, uploadIdleMs: 1000, uploadGraceMs: 300 });
    const text = new TextEncoder().encode('id,created_at,text\n1,2026-03-01,where is my parcel\n');
    let sent = 0;
    // the server gives up and cancels the body while a tick is pending: that tick writes nothing
    let cancelled = false;
    const trickle = new ReadableStream<Uint8Array>({
      // 2 bytes every 40 ms: never quiet for the idle rule; the whole file takes ~1 s
      pull: (controller) =>
        new Promise<void>((resolve) => {
          setTimeout(() => {
            if (!cancelled) {
              if (sent >= text.length) controller.close();
              else controller.enqueue(text.subarray(sent, sent + 2));
            }
            sent += 2;
            resolve();
          }, 40);
        }),
      cancel: () => {
        cancelled = true;
      },
    });
    const res = await slowApp.request('/api/estimate/preview', {
      method: 'POST',
      body: trickle,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(408);
    expect(((await res.json()) as ErrorBody).error).toEqual({
      code: 'stalled',
      message:
        "the upload is too slow: the preview's first 68 KB did not come within 300 ms; send the file again",
    });
  });
});

describe('bad data never becomes a saved prospect (SPEC §2 gates)', () => {
  const csv = [
    'id,created_at,text',
    'ok-1,2026-03-01T10:00:00Z,Where is my parcel?',
    'bad-1,0001-01-01T00:00:00Z,Can I get a refund?',
    'bad-2,2099-06-01T00:00:00Z,How do I reset my password?',
    'bad-3,not a date,Cancel my order please',
  ].join('\n');

  it('rejects dates outside the plausible window instead of stretching the months', async () => {
    const { lines } = await upload(csv, '?name=Dates');
    const r = resultOf(lines);
    expect(r.conversations).toBe(1);
    expect(r.byMonth.map((m) => m.month)).toEqual(['2026-03']);
    expect(r.report.rejects.map((x) => x.line)).toEqual([3, 4, 5]);
    expect(r.report.rejects[1]!.reason).toMatch(
      /^"createdAt" 2099-06-01T00:00:00Z is after \d{4}-\d{2}-\d{2} \(outside the plausible window\)$/,
    );
    // the canonical format is held to the same window
    const canonical = JSON.stringify({
      id: 'y1',
      accountId: 'p',
      createdAt: '1999-12-31T00:00:00Z',
      aiInvolved: false,
      messages: [{ role: 'customer', text: 'Where is my parcel?' }],
    });
    const ok = JSON.stringify({
      id: 'y2',
      accountId: 'p',
      createdAt: '2026-03-02T00:00:00Z',
      aiInvolved: false,
      messages: [{ role: 'customer', text: 'Where is my parcel?' }],
    });
    const c = resultOf((await upload(`${ok}\n${canonical}\n`, '?name=Year1')).lines);
    expect(c.report.rejects).toEqual([
      {
        line: 2,
        reason: '"createdAt" 1999-12-31T00:00:00Z is before 2000-01-01 (outside the plausible window)',
      },
    ]);
    expect(c.byMonth.map((m) => m.month)).toEqual(['2026-03']);
  });

  it('refuses to save a prospect built from 1 of 4 rows, and saves nothing', async () => {
    const before = ((await (await app.request('/api/estimate/prospects')).json()) as ProspectsResponse)
      .prospects.length;
    const { lines } = await upload(csv, '?name=Quarter&save=1');
    const last = lines.at(-1) as ErrorLine;
    expect(last.type).toBe('error');
    expect(last.error.code).toBe('too_many_errors');
    expect(last.error.message).toMatch(
      /^3 of 4 records were rejected \(75\.0%\), over the 1% limit; first: line 3: /,
    );
    const after = ((await (await app.request('/api/estimate/prospects')).json()) as ProspectsResponse)
      .prospects;
    expect(after.length).toBe(before);
  });
});

describe('compressed uploads are capped once inflated', () => {
  it('stops a gzip that inflates past 10× the upload limit with too_large', async () => {
    const { gzipSync } = await import('node:zlib');
    const line = JSON.stringify({
      id: 'z',
      accountId: 'p',
      createdAt: '2026-03-02T00:00:00Z',
      aiInvolved: false,
      messages: [{ role: 'customer', text: 'Where is my parcel?' }],
    });
    const bomb = gzipSync(Buffer.from(`${line}\n`.repeat(500)), { level: 9 });
    expect(bomb.length).toBeLessThan(1000);
    const { lines } = await upload(bomb, '', {}, small);
    const last = lines.at(-1) as ErrorLine;
    expect(last.type).toBe('error');
    expect(last.status, JSON.stringify(last)).toBe(413);
    expect(last.error.message).toBe('the file is too large once decompressed: over 9.8 KB of text');
  });
});

describe('the preview of a gzip bomb', () => {
  it('inflates only the head it needs, as a stream', async () => {
    const { gzipSync } = await import('node:zlib');
    const { inflateHead } = await import('../server/routes/estimate.ts');
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 'a'), { level: 9 });
    expect(bomb.length).toBeLessThan(100_000);
    const head = await inflateHead(bomb.subarray(0, 68 * 1024), 70_000);
    expect(head.length).toBe(70_000);
    const res = await app.request('/api/estimate/preview', {
      method: 'POST',
      body: bomb.subarray(0, 68 * 1024),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as ErrorBody).error.code).toBe('unknown_format');
  });
});
