/** Collects invalid records (file, line, reason) and writes them next to the output database. */
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';

export interface Reject {
  file: string;
  line: number;
  reason: string;
  record: string;
}

const MAX_KEPT = 100_000;

export class RejectLog {
  accepted = 0;
  readonly items: Reject[] = [];
  /** printed to the console; all of them go to the rejects file */
  private printed = 0;

  constructor(
    private readonly print: (msg: string) => void = (m) => console.error(m),
    private readonly maxPrinted = 20,
  ) {}

  private count = 0;

  /**
   * `invalid` false: a record left out though valid (a stray date, strays.ts), listed with the rejects
   * but not counted against --max-reject-rate (two typos in a small export would fail its build)
   */
  add(file: string, line: number, reason: string, record: string, invalid = true) {
    // relative to the folder the command was typed in (npm runs scripts from the project's root and
    // says where the caller was in INIT_CWD): a path the user can open from where they are
    const rel = relative(process.env.INIT_CWD ?? process.cwd(), file) || file;
    if (invalid) this.count++;
    // Past the cap only the count grows: a file of pure garbage must not exhaust memory.
    if (this.items.length < MAX_KEPT)
      this.items.push({
        file: rel,
        line,
        reason,
        record: record.length > 300 ? `${record.slice(0, 300)}…` : record,
      });
    if (this.printed < this.maxPrinted) this.print(`${rel}:${line}: ${reason}`);
    else if (this.printed === this.maxPrinted) this.print('… more rejects in the rejects file');
    this.printed++;
  }

  get rejected() {
    return this.count;
  }

  get rate() {
    const total = this.accepted + this.rejected;
    return total === 0 ? 0 : this.rejected / total;
  }

  write(path: string) {
    writeFileSync(
      path,
      this.items.map((r) => JSON.stringify(r)).join('\n') + (this.items.length ? '\n' : ''),
    );
  }
}
