/**
 * `npm run classify -- --input FILE.jsonl [--output FILE.jsonl]` (SPEC §6): one line per
 * canonical conversation, `{"id","taxonomyId","automationClass","confidence"}`.
 */

import { once } from 'node:events';
import { createWriteStream, existsSync } from 'node:fs';
import { assignLeaf } from '../server/domain/assign.ts';
import { defaultClassifier } from '../server/domain/classifier.ts';
import { validateConversation } from '../server/domain/validate.ts';
import { parseCli } from './cli.ts';
import { readLines } from './pipeline/lines.ts';

const USAGE = 'usage: npm run classify -- --input FILE.jsonl[.gz] [--output FILE.jsonl]';

async function main(): Promise<number> {
  const parsed = parseCli(USAGE, { input: { type: 'string' }, output: { type: 'string' } }, ['input']);
  if ('exitCode' in parsed) return parsed.exitCode;
  const values = parsed.values as typeof parsed.values & { input: string };
  if (!existsSync(values.input)) {
    console.error(`${values.input}: file not found`);
    return 1;
  }
  const out = values.output ? createWriteStream(values.output) : process.stdout;
  const classifier = defaultClassifier();
  let written = 0;
  let invalid = 0;
  for await (const [line, text, problem] of readLines(values.input)) {
    if (problem) {
      invalid++;
      console.error(`${values.input}:${line}: ${problem}`);
      continue;
    }
    if (text.trim() === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      invalid++;
      console.error(`${values.input}:${line}: malformed JSON`);
      continue;
    }
    const v = validateConversation(raw);
    if (!v.ok) {
      invalid++;
      console.error(`${values.input}:${line}: ${v.reason}`);
      continue;
    }
    const k = assignLeaf(v.value, classifier);
    const ok = out.write(
      `${JSON.stringify({ id: v.value.id, taxonomyId: k.taxonomyId, automationClass: k.automationClass, confidence: k.confidence })}\n`,
    );
    if (!ok) await once(out, 'drain');
    written++;
  }
  if (out !== process.stdout) {
    out.end();
    await once(out, 'finish');
  }
  console.error(`classified ${written} conversations${invalid ? `, skipped ${invalid} invalid lines` : ''}`);
  return 0;
}

process.exitCode = await main();
