/**
 * The messages of the example conversations the pipeline keeps, on disk while the conversation
 * pass runs. At 10,000 accounts the reservoir holds about half a million examples until the pass
 * ends (their CX score needs the calibration fitted after it); their messages, ~1 KB of JSON each,
 * were most of the build's peak memory. Each kept example's messages are appended to a scratch file
 * beside the database and read back once, when the examples are written; one pushed out by a
 * better one stays in the file unread. The file is removed as soon as it is opened (Linux keeps it
 * until closed), so a killed build leaves nothing behind.
 */
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';

/** Where one example's messages JSON sits in the scratch file. */
export interface SpillRef {
  spillAt: number;
  spillLength: number;
}

const FLUSH_BYTES = 1 << 20;

export class SampleSpill {
  private readonly fd: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private written = 0;
  private closed = false;

  constructor(private readonly path: string) {
    this.fd = openSync(path, 'w+');
    try {
      rmSync(path);
    } catch {
      // a system that keeps an open file's name: removed on close instead
    }
  }

  put(json: string): SpillRef {
    const bytes = Buffer.from(json, 'utf8');
    const ref = { spillAt: this.written + this.pendingBytes, spillLength: bytes.length };
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
    return ref;
  }

  get(ref: SpillRef): string {
    this.flush();
    const out = Buffer.allocUnsafe(ref.spillLength);
    let got = 0;
    while (got < ref.spillLength) {
      const n = readSync(this.fd, out, got, ref.spillLength - got, ref.spillAt + got);
      if (n === 0)
        throw new Error(`${this.path}: the example messages end early (at byte ${ref.spillAt + got})`);
      got += n;
    }
    return out.toString('utf8');
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
    rmSync(this.path, { force: true });
  }

  private flush() {
    if (this.pendingBytes === 0) return;
    const bytes = Buffer.concat(this.pending, this.pendingBytes);
    let done = 0;
    while (done < bytes.length)
      done += writeSync(this.fd, bytes, done, bytes.length - done, this.written + done);
    this.written += bytes.length;
    this.pending = [];
    this.pendingBytes = 0;
  }
}
