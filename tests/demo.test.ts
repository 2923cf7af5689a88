import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Truth } from '../scripts/demo/generate.ts';
import {
  accountConversations,
  demoWorld,
  generateDemoBundle,
  SPECIAL_IDS,
  selectAccounts,
} from '../scripts/demo/generate.ts';
import { expectedRates, trueCeiling } from '../scripts/demo/world.ts';
import { countConversation, emptyCounts, type OutcomeCounts, rates } from '../server/domain/metrics.ts';
import { taxonomy } from '../server/domain/taxonomy.ts';
import { validateAccount, validateConversation, validateIntervention } from '../server/domain/validate.ts';

const FILES = ['accounts.jsonl', 'conversations.jsonl.gz', 'interventions.jsonl', 'truth.json'];
const SMALL = { accounts: 8, months: 3 };

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cockpit-demo-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function readBundle(dir: string) {
  const lines = (text: string) => text.split('\n').filter((l) => l.length > 0);
  return {
    accounts: lines(await readFile(join(dir, 'accounts.jsonl'), 'utf8')).map((l) => JSON.parse(l)),
    conversations: lines(
      gunzipSync(await readFile(join(dir, 'conversations.jsonl.gz'))).toString('utf8'),
    ).map((l) => JSON.parse(l)),
    interventions: lines(await readFile(join(dir, 'interventions.jsonl'), 'utf8')).map((l) => JSON.parse(l)),
  };
}

describe('demo bundle', () => {
  it('is deterministic by seed', async () => {
    const a = join(root, 'a');
    const b = join(root, 'b');
    const c = join(root, 'c');
    const summary = await generateDemoBundle({ ...SMALL, seed: 7, outDir: a });
    await generateDemoBundle({ ...SMALL, seed: 7, outDir: b });
    await generateDemoBundle({ ...SMALL, seed: 8, outDir: c });
    expect(summary.accounts).toBe(8);
    expect(summary.conversations).toBeGreaterThan(1000);
    expect(summary.files.map((f) => f.slice(a.length + 1))).toEqual(FILES);
    for (const f of FILES) {
      const [x, y, z] = await Promise.all([readFile(join(a, f)), readFile(join(b, f)), readFile(join(c, f))]);
      expect(x.equals(y), `${f} same seed`).toBe(true);
      expect(x.equals(z), `${f} other seed`).toBe(false);
    }
  });

  it('writes records that pass the validators and cover the expected variety', async () => {
    const dir = join(root, 'a');
    const { accounts, conversations, interventions } = await readBundle(dir);
    for (const acc of accounts) expect(validateAccount(acc)).toMatchObject({ ok: true });
    for (const iv of interventions) expect(validateIntervention(iv)).toMatchObject({ ok: true });
    const ids = new Set(accounts.map((a) => a.id));
    const roles = new Set<string>();
    const channels = new Set<string>();
    const states = new Set<string>();
    const convIds = new Set<string>();
    let reopened = 0;
    let rated = 0;
    const endMs = Date.parse('2026-11-18T16:00:00Z');
    for (const conv of conversations) {
      const v = validateConversation(conv);
      if (!v.ok) throw new Error(`${conv.id}: ${v.reason}`);
      expect(ids.has(conv.accountId)).toBe(true);
      expect(v.value.createdAtMs).toBeLessThanOrEqual(endMs);
      convIds.add(conv.id);
      channels.add(conv.channel);
      states.add(String(conv.aiResolutionState));
      if (conv.reopened) reopened++;
      if (conv.csat != null) rated++;
      for (const m of conv.messages) roles.add(m.role);
    }
    expect(convIds.size).toBe(conversations.length);
    expect(new Set(accounts.map((a) => a.vertical)).size).toBeGreaterThanOrEqual(5);
    expect([...roles].sort()).toEqual(['agent', 'ai', 'customer']);
    expect(channels.has('chat') && channels.has('email')).toBe(true);
    for (const s of ['confirmed_resolution', 'assumed_resolution', 'escalated', 'null'])
      expect(states.has(s)).toBe(true);
    expect(reopened / conversations.length).toBeGreaterThan(0.02);
    expect(reopened / conversations.length).toBeLessThan(0.08);
    expect(rated / conversations.length).toBeGreaterThan(0.07);
    expect(rated / conversations.length).toBeLessThan(0.25);
    // the months are the last three, ending with the month to date
    const months = new Set(conversations.map((c) => c.createdAt.slice(0, 7)));
    expect([...months].sort()).toEqual(['2026-09', '2026-10', '2026-11']);
    // never the taxonomy's own example phrases (the classifier learns from those)
    const examples = new Set(taxonomy.leaves.flatMap((l) => l.examples.map((e) => e.trim().toLowerCase())));
    for (const conv of conversations.slice(0, 3000))
      for (const m of conv.messages) expect(examples.has(m.text.trim().toLowerCase())).toBe(false);
  });

  it('generates an account the same way whether alone or with the others', async () => {
    const dir = join(root, 'only');
    const full = await readBundle(join(root, 'a'));
    const id = full.accounts[3].id as string;
    const summary = await generateDemoBundle({ ...SMALL, seed: 7, outDir: dir, onlyAccounts: [id] });
    const only = await readBundle(dir);
    expect(summary.accounts).toBe(1);
    expect(only.accounts).toEqual([full.accounts[3]]);
    expect(only.conversations).toEqual(full.conversations.filter((c) => c.accountId === id));
    await expect(generateDemoBundle({ ...SMALL, outDir: dir, onlyAccounts: ['nope'] })).rejects.toThrow(
      /nope/,
    );
  });
});

describe('scripted situations (default world)', () => {
  const world = demoWorld({});
  const keys = world.months.map((m) => m.key);
  const back = (k: number) => keys[keys.length - 1 - k]!;
  const monthly = new Map<string, Map<string, OutcomeCounts>>();
  beforeAll(() => {
    // only the three scripted accounts, counted straight from the generator (no files)
    for (const acc of selectAccounts(world, Object.values(SPECIAL_IDS))) {
      const byMonth = new Map<string, OutcomeCounts>();
      for (const { conv } of accountConversations(world, acc)) {
        const key = conv.createdAt.slice(0, 7);
        const counts = byMonth.get(key) ?? emptyCounts();
        byMonth.set(key, counts);
        countConversation(counts, conv);
      }
      monthly.set(acc.account.id, byMonth);
    }
  });
  const at = (id: string, k: number) => monthly.get(id)!.get(back(k))!;

  it('has the default shape: 72 accounts, 12 months to 2026-11, at least 5 verticals', () => {
    expect(world.accounts).toHaveLength(72);
    expect(keys).toHaveLength(12);
    expect(keys.at(-1)).toBe('2026-11');
    expect(new Set(world.accounts.map((a) => a.account.vertical)).size).toBeGreaterThanOrEqual(5);
  });

  const acc = (id: string) => world.accounts.find((a) => a.account.id === id)!;
  const monthOf = (k: number) => world.months[world.months.length - 1 - k]!;
  const latent = (id: string, k: number) =>
    expectedRates(acc(id), monthOf(k).start, monthOf(k).start + monthOf(k).length);

  it('A: resolution climbs from ~65% to ~82% over six months at ~93% involvement', () => {
    const first = rates(at(SPECIAL_IDS.A, 6));
    const last = rates(at(SPECIAL_IDS.A, 1));
    expect(Math.abs(first.resolutionRate! - 0.65)).toBeLessThan(0.04);
    expect(Math.abs(last.resolutionRate! - 0.82)).toBeLessThan(0.04);
    expect(Math.abs(first.involvementRate! - 0.93)).toBeLessThan(0.03);
    expect(Math.abs(last.involvementRate! - 0.93)).toBeLessThan(0.03);
    // the climb comes from its own actions, all within those six months
    const actions = world.interventions.filter((i) => i.accountId === SPECIAL_IDS.A);
    expect(actions.length).toBeGreaterThanOrEqual(4);
    for (const i of actions) expect(i.date >= `${back(6)}-01`).toBe(true);
    expect(actions.reduce((s, i) => s + i.effect, 0)).toBeGreaterThan(0.1);
  });

  it('B: ~2,800 resolved a month over the last three complete months, far below its ceiling', () => {
    const resolved = [3, 2, 1].map((k) => at(SPECIAL_IDS.B, k).resolved);
    for (const r of resolved) expect(Math.abs(r / 2800 - 1)).toBeLessThan(0.1);
    // volume is not held constant: it moves with the month's noise and the vertical's season
    const volumes = [3, 2, 1].map((k) => at(SPECIAL_IDS.B, k).conversations);
    expect(new Set(volumes).size).toBe(3);
    expect(rates(at(SPECIAL_IDS.B, 1)).automationRate!).toBeLessThan(0.5);
    // stuck: no action for the last six months, while its true ceiling is far above
    expect(world.interventions.some((i) => i.accountId === SPECIAL_IDS.B && i.date >= `${back(6)}-01`)).toBe(
      false,
    );
    expect(trueCeiling(acc(SPECIAL_IDS.B)) - latent(SPECIAL_IDS.B, 1).automation).toBeGreaterThan(0.2);
  });

  it('C: far below six months ago, then near its own true ceiling after a run of actions', () => {
    expect(rates(at(SPECIAL_IDS.C, 6)).automationRate!).toBeLessThan(0.35);
    const ceiling = trueCeiling(acc(SPECIAL_IDS.C));
    expect(Math.abs(latent(SPECIAL_IDS.C, 1).automation - ceiling)).toBeLessThan(0.03);
    expect(Math.abs(rates(at(SPECIAL_IDS.C, 1)).automationRate! - ceiling)).toBeLessThan(0.05);
    expect(world.interventions.filter((i) => i.accountId === SPECIAL_IDS.C).length).toBeGreaterThanOrEqual(6);
  });
});

describe('truth.json', () => {
  it('holds the hidden state in the shape other tools read', async () => {
    const truth = JSON.parse(await readFile(join(root, 'a', 'truth.json'), 'utf8')) as Truth;
    const { accounts, interventions } = await readBundle(join(root, 'a'));
    expect(Object.keys(truth.accounts).sort()).toEqual(accounts.map((a) => a.id).sort());
    for (const t of Object.values(truth.accounts)) {
      expect(t.ceiling).toBeGreaterThan(0.2);
      expect(t.ceiling).toBeLessThan(0.95);
      // the ceiling is the account's mix of its leaves at their ceilings
      const mixed = Object.entries(t.leafShares).reduce((s, [leaf, w]) => s + w * t.leafCeilings[leaf]!, 0);
      expect(Math.abs(mixed - t.ceiling)).toBeLessThan(0.002);
      for (const s of t.states) {
        expect(['plateau', 'climbing', 'declining', 'low_cx']).toContain(s.state);
        expect(s.from <= s.to).toBe(true);
        expect(s.from).toMatch(/^\d{4}-\d{2}$/);
      }
    }
    // the same interventions as the bundle, with their planted effect (never written to the bundle)
    expect(truth.interventions.map(({ effect: _e, ...i }) => i)).toEqual(
      interventions.map(({ note: _n, ...i }) => i),
    );
    for (const i of interventions) expect(i).not.toHaveProperty('effect');
    expect(truth.interventions.every((i) => Number.isFinite(i.effect))).toBe(true);
    // the satisfaction latent agrees with the rating, but not perfectly (a realistic ceiling)
    expect(truth.csatCeiling).toBeGreaterThan(0.6);
    expect(truth.csatCeiling).toBeLessThan(0.85);
  });
});
