/**
 * A bounded load test: two estimates stream in while many reads hit the server over real HTTP.
 * Nothing may fail and the reads keep being answered; latency is measured by `npm run bench:load`
 * (a benchmark, not a timed test).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../server/serve.ts';
import { buildFixtureDb, tempDir } from './helpers.ts';

let base = '';
let stop: () => void = () => {};
beforeAll(async () => {
  const dist = tempDir();
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Cockpit</title>');
  const cockpit = createServer({
    dbPath: await buildFixtureDb(),
    distDir: dist,
    port: 0,
    host: '127.0.0.1',
    log: () => {},
  });
  const server = serve({ fetch: cockpit.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stop = () => {
    server.close();
    cockpit.close();
  };
});
afterAll(() => stop());

function exportBody(n: number, seed: number): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i >= n) return controller.close();
      const lines: string[] = [];
      for (const end = Math.min(n, i + 500); i < end; i++)
        lines.push(
          JSON.stringify({
            id: `s${seed}-${i}`,
            createdAt: `2026-0${(i % 6) + 1}-1${i % 9}T10:00:00Z`,
            aiInvolved: false,
            messages: [
              { role: 'customer', text: i % 2 ? 'Where is my parcel?' : 'How do I change my password?' },
            ],
          }),
        );
      controller.enqueue(encoder.encode(`${lines.join('\n')}\n`));
    },
  });
}

describe('the server under load with uploads in flight', () => {
  it('answers every read and finishes both estimates, with no 5xx', async () => {
    const uploads = [1, 2].map(async (seed) => {
      const res = await fetch(`${base}/api/estimate?name=load-${seed}`, {
        method: 'POST',
        body: exportBody(20_000, seed),
        headers: { 'content-type': 'application/octet-stream' },
        duplex: 'half',
      } as RequestInit);
      const last = (await res.text()).trim().split('\n').at(-1)!;
      return JSON.parse(last) as { type: string; conversations?: number };
    });
    const statuses: number[] = [];
    for (let round = 0; round < 10; round++) {
      const batch = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          fetch(`${base}${['/api/health', '/api/accounts', '/api/accounts/acme'][i % 3]}`).then(async (r) => {
            await r.arrayBuffer();
            return r.status;
          }),
        ),
      );
      statuses.push(...batch);
    }
    const results = await Promise.all(uploads);
    expect(results.map((r) => [r.type, r.conversations])).toEqual([
      ['result', 20_000],
      ['result', 20_000],
    ]);
    expect(statuses).toHaveLength(300);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  }, 60_000);
});
