/**
 * `npm run classify -- --input FILE.jsonl [--output FILE.jsonl]` (SPEC §6): one line per
 * canonical conversation, `{"id","taxonomyId","automationClass","confidence"}`.
 */

import { once } from 'node:events';
import { createWriteStream, existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { assignLeaf } from '../server/domain/assign.ts';
import { defaultClassifier } from '../server/domain/classifier.ts';
import { validateConversation } from '../server/domain/validate.ts';
import { readLines } from './pipeline/lines.ts';

const USAGE = 'usage: npm run classify -- --input FILE.jsonl[.gz] [--output FILE.jsonl]';

async function main(): Promise<number> {
  let values: { input?: string; output?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        input: { type: 'string' },
        output: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.input) {
    console.error(`--input is required\n${USAGE}`);
    return 2;
  }
  if (!existsSync(values.input)) {
    console.error(`${values.input}: file not found`);
    return 1;
  }
  const out = values.output ? createWriteStream(values.output) : process.stdout;
  const classifier = defaultClassifier();
  let written = 0;
  let invalid = 0;
  for await (const [line, text] of readLines(values.input)) {
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
