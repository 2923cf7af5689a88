/** Locates the files of a canonical export bundle (SPEC §2) and reads the small ones. */
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Account, Intervention } from '../../server/domain/types.ts';
import { type Valid, validateAccount, validateIntervention } from '../../server/domain/validate.ts';
import { parseCsvText } from '../../server/importers/csv.ts';
import { readLines } from './lines.ts';
import type { RejectLog } from './rejects.ts';

export class PipelineError extends Error {}

export interface BundleFiles {
  accounts: string;
  conversations: string;
  interventions: string | null;
}

function firstExisting(dir: string, names: string[]): string | null {
  for (const name of names) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  return null;
}

function assertReadable(path: string) {
  try {
    accessSync(path, constants.R_OK);
    if (!statSync(path).isFile()) throw new Error('not a file');
  } catch {
    throw new PipelineError(`${path}: cannot be read`);
  }
}

export function locateBundle(dir: string): BundleFiles {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new PipelineError(`${dir}: input folder not found (expected a canonical export bundle, SPEC §2)`);
  const accounts = firstExisting(dir, ['accounts.jsonl', 'accounts.csv']);
  if (!accounts)
    throw new PipelineError(`${join(dir, 'accounts.jsonl')}: required file missing (or accounts.csv)`);
  const conversations = firstExisting(dir, ['conversations.jsonl', 'conversations.jsonl.gz']);
  if (!conversations)
    throw new PipelineError(
      `${join(dir, 'conversations.jsonl')}: required file missing (or conversations.jsonl.gz)`,
    );
  const interventions = firstExisting(dir, ['interventions.jsonl']);
  for (const f of [accounts, conversations, interventions]) if (f) assertReadable(f);
  return { accounts, conversations, interventions };
}

async function readJsonl<T>(
  path: string,
  validate: (raw: unknown) => Valid<T>,
  rejects: RejectLog,
  onValid: (value: T) => void,
) {
  for await (const [line, text] of readLines(path)) {
    if (text.trim() === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      rejects.add(path, line, 'malformed JSON', text);
      continue;
    }
    const v = validate(raw);
    if (v.ok) {
      rejects.accepted++;
      onValid(v.value);
    } else rejects.add(path, line, v.reason, text);
  }
}

export async function readAccounts(path: string, rejects: RejectLog): Promise<Map<string, Account>> {
  const accounts = new Map<string, Account>();
  if (path.endsWith('.csv')) {
    const rows = parseCsvText(readFileSync(path, 'utf8'));
    const header = (rows[0] ?? []).map((h) => h.trim());
    if (!header.includes('id') || !header.includes('name'))
      throw new PipelineError(`${path}:1: header must include "id" and "name"`);
    rows.slice(1).forEach((cells, i) => {
      if (cells.length === 1 && cells[0]!.trim() === '') return;
      const raw = Object.fromEntries(header.map((h, j) => [h, cells[j] ?? '']));
      const v = validateAccount(raw);
      if (v.ok) {
        rejects.accepted++;
        accounts.set(v.value.id, v.value);
      } else rejects.add(path, i + 2, v.reason, cells.join(','));
    });
    return accounts;
  }
  await readJsonl(path, validateAccount, rejects, (a) => accounts.set(a.id, a));
  return accounts;
}

export async function readInterventions(
  path: string | null,
  accounts: Map<string, Account>,
  rejects: RejectLog,
): Promise<Intervention[]> {
  const out: Intervention[] = [];
  if (!path) return out;
  await readJsonl(path, validateIntervention, rejects, (i) => {
    if (accounts.has(i.accountId)) out.push(i);
    else {
      rejects.accepted--;
      rejects.add(path, 0, `unknown accountId "${i.accountId}"`, JSON.stringify(i));
    }
  });
  return out;
}
