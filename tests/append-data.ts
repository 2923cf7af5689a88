/**
 * A small deterministic export bundle for the append and queue equivalence tests: a dozen
 * accounts over five months ending 2026-05-20, outcomes drawn per account × leaf so the potential
 * model has peers to learn from, some conversations labelled by source topic and the rest left to
 * the classifier, CSAT on about a third. Written here rather than by the demo generator so these
 * tests depend on nothing but the pipeline.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../server/domain/stats.ts';
import { taxonomy } from '../server/domain/taxonomy.ts';

const random = seededRandom;

const VERTICALS = ['ecommerce', 'saas', 'fintech'];
const STATES = ['confirmed_resolution', 'assumed_resolution', 'escalated', 'procedure_handoff', 'abandoned'];
const END_MS = Date.parse('2026-05-20T18:00:00Z');
const DAY = 86_400_000;

export interface TestData {
  accounts: string[];
  interventions: string[];
  /** conversation lines (with their newline), in createdAt order */
  conversations: string[];
}

export function testData(
  opts: { accounts?: number; conversations?: number; seed?: number; days?: number } = {},
): TestData {
  const rnd = random(opts.seed ?? 7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const leaves = taxonomy.leaves.slice(0, 30);
  const accounts: string[] = [];
  const interventions: string[] = [];
  const ids: string[] = [];
  const skill = new Map<string, number>();
  for (let i = 0; i < (opts.accounts ?? 12); i++) {
    const id = `acct-${String(i).padStart(2, '0')}`;
    ids.push(id);
    accounts.push(
      `${JSON.stringify({
        id,
        name: `Account ${i}`,
        vertical: VERTICALS[i % VERTICALS.length],
        plan: 'growth',
        arr: 50_000 + i * 10_000,
        csm: `CSM ${i % 3}`,
        region: 'EMEA',
        aiLiveSince: '2025-10-01',
        status: i === 11 ? 'prospect' : 'customer',
      })}\n`,
    );
    for (const leaf of leaves) skill.set(`${id}/${leaf.id}`, rnd());
    interventions.push(
      `${JSON.stringify({ accountId: id, date: '2026-03-02', kind: 'content', taxonomyId: pick(leaves).id, note: 'new article' })}\n`,
    );
  }
  const rows: { at: number; line: string }[] = [];
  const n = opts.conversations ?? 4000;
  for (let k = 0; k < n; k++) {
    const accountId = pick(ids);
    const leaf = pick(leaves);
    const at = END_MS - Math.floor(rnd() * (opts.days ?? 150) * DAY);
    const s = skill.get(`${accountId}/${leaf.id}`)!;
    const aiInvolved = rnd() < 0.5 + 0.45 * s;
    const aiResolutionState = aiInvolved ? (rnd() < s ? pick(STATES.slice(0, 2)) : pick(STATES)) : null;
    const text = pick(leaf.examples);
    const conversation = {
      id: `c-${k}`,
      accountId,
      createdAt: new Date(at).toISOString(),
      channel: pick(['chat', 'email', 'messenger']),
      aiInvolved,
      aiResolutionState,
      reopened: rnd() < 0.05,
      ...(rnd() < 0.35 && { csat: 1 + Math.floor(rnd() * 5) }),
      ...(rnd() < 0.6 && { topic: `${leaf.group} > ${leaf.label}` }),
      messages: [
        { role: 'customer', text, at: new Date(at).toISOString() },
        { role: 'ai', text: 'Let me check that for you.', at: new Date(at + 5_000).toISOString() },
        ...(rnd() < 0.3
          ? [
              {
                role: 'customer',
                text: pick(['thanks!', 'this is useless', 'still not working']),
                at: new Date(at + 60_000).toISOString(),
              },
            ]
          : []),
      ],
    };
    rows.push({ at, line: `${JSON.stringify(conversation)}\n` });
  }
  rows.sort((a, b) => a.at - b.at);
  return { accounts, interventions, conversations: rows.map((r) => r.line) };
}

/** Writes a bundle folder with the data's accounts and interventions and the given conversation lines. */
export function writeBundle(dir: string, data: TestData, conversations: readonly string[]): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'accounts.jsonl'), data.accounts.join(''));
  writeFileSync(join(dir, 'interventions.jsonl'), data.interventions.join(''));
  writeFileSync(join(dir, 'conversations.jsonl'), conversations.join(''));
  return dir;
}
