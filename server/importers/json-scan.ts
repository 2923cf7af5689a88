/**
 * Streaming JSON record splitter. Finds the records of a JSON input without parsing it whole:
 *  - a sequence of top-level values (NDJSON, or concatenated objects) → each value is a record;
 *  - a top-level array → each element is a record;
 *  - a top-level object holding a container array (`{"tickets":[…]}`, `{"type":"conversation.list",
 *    "conversations":[…]}`) → each element of that array is a record, tagged with the key.
 * It only tracks strings, escapes and bracket depth, on bytes (UTF-8 multi-byte sequences never contain
 * ASCII bytes, so this is safe). Each record is cut out as a Buffer for JSON.parse, capped at `maxBytes`.
 *
 * In line mode (NDJSON) a newline inside an unfinished value marks that line broken: the value is
 * reported and scanning restarts on the next line, so one bad line costs one record.
 */

export interface JsonRecord {
  /** 1-based line where the record starts. */
  line: number;
  /** Container key the record came from (`tickets`, `conversations`, `comments`…), null for top-level. */
  key: string | null;
  bytes: Buffer | null;
  size: number;
  /** Set when the record could not be cut out (too large, incomplete). */
  error?: string;
}

export interface JsonScanOptions {
  lineMode: boolean;
  maxBytes: number;
  /** Keys whose array value holds the records (`tickets`, `conversations`, `results`). */
  containerKeys: ReadonlySet<string>;
  /** Arrays side-loaded next to a container (`users`, `comments`); reported with their key. */
  sideKeys: ReadonlySet<string>;
  /**
   * A HAL page (Help Scout's API: `{"_embedded":{"conversations":[…]},"page":{…}}`): an
   * `_embedded` object that opens the top-level object is looked into, its arrays are containers.
   */
  embedded?: boolean;
}

const OBJ = 1;
const ARR = 2;
const MAX_DEPTH = 4096;

export class JsonScanner {
  line = 1;
  /** Top-level object members that came before the container key, parsed (for side-loads). */
  prefix: Record<string, unknown> | null = null;
  prefixDropped = false;

  private depth = 0;
  private readonly stack = new Uint8Array(MAX_DEPTH + 1);
  private inStr = false;
  private esc = false;
  // top-level object bookkeeping
  private topIsObject = false;
  private topIsArray = false;
  private expectKey = false;
  private inKey = false;
  private keyParts: Buffer[] = [];
  private keyStart = 0;
  private lastKeyChunk: Buffer | null = null;
  private lastKeyFrom = 0;
  private lastKeyTo = 0;
  private keyPending = false;
  private lastKeyOffset = -1;
  private containerMode = false;
  private containerKey: string | null = null;
  /** keys of the top-level object so far; inside its opening `_embedded` object (embedded pages) */
  private topKeys = 0;
  private inEmbedded = false;
  // capture
  private capturing = false;
  private capDepth = 0;
  private capKind = 0; // 0 object/array, 1 string, 2 literal
  private capKey: string | null = null;
  private capLine = 0;
  private capParts: Buffer[] = [];
  private capLen = 0;
  private capStart = 0;
  private capOversize = false;

  constructor(private readonly opts: JsonScanOptions) {}

  push(buf: Buffer, out: JsonRecord[]): void {
    const n = buf.length;
    this.capStart = 0;
    if (this.inKey) this.keyStart = 0;
    // Hot state lives in locals; it is written back before any (rare) method call and read again after.
    let inStr = this.inStr;
    let esc = this.esc;
    let line = this.line;
    const lineMode = this.opts.lineMode;
    for (let i = 0; i < n; i++) {
      if (inStr) {
        if (esc) {
          esc = false;
          continue;
        }
        let c = buf[i]!;
        while (c !== 0x22 && c !== 0x5c && c !== 0x0a && ++i < n) c = buf[i]!;
        if (i >= n) break;
        if (c === 0x5c) esc = true;
        else if (c === 0x22) {
          inStr = false;
          if (this.inKey) this.endKey(buf, i);
          else if (this.capturing && this.capKind === 1 && this.depth === this.capDepth) {
            this.line = line;
            this.finish(buf, i + 1, out);
          }
        } else {
          if (lineMode) {
            this.line = line;
            this.broken(out, 'the line ends inside a string');
            inStr = false;
            esc = false;
          }
          line++;
        }
        continue;
      }
      const c = buf[i]!;
      if (c === 0x22) {
        if (this.depth >= 2 && this.capturing) {
          // fast path: a string inside a captured record
          inStr = true;
          continue;
        }
      } else if (c > 0x7d || (c > 0x3a && c !== 0x5b && c !== 0x5d && c !== 0x7b && c !== 0x7d)) {
        // letters: part of a literal
        if (this.capturing || this.depth > 2) continue;
      } else if (c >= 0x30 && c <= 0x39) {
        if (this.capturing || this.depth > 2) continue;
      }
      this.line = line;
      this.inStr = inStr;
      this.esc = esc;
      this.structural(buf, i, c, out);
      inStr = this.inStr;
      esc = this.esc;
      line = this.line;
    }
    this.inStr = inStr;
    this.esc = esc;
    this.line = line;
    if (this.capturing) this.keep(buf.subarray(this.capStart));
    if (this.inKey) this.keyParts.push(buf.subarray(this.keyStart));
  }

  /** Everything outside strings. */
  private structural(buf: Buffer, i: number, c: number, out: JsonRecord[]) {
    switch (c) {
      case 0x0a:
        if (this.capturing && this.capKind === 2) this.finish(buf, i, out);
        if (this.opts.lineMode && this.depth > 0)
          this.broken(out, 'the line ends before the JSON value is complete');
        this.line++;
        break;
      case 0x20:
      case 0x09:
      case 0x0d:
        if (this.capturing && this.capKind === 2) this.finish(buf, i, out);
        break;
      case 0x22: // "
        if (this.capturing && this.capKind === 2) this.finish(buf, i, out);
        if (this.depth === 1 && this.topIsObject && this.expectKey) {
          this.topKeys++;
          this.inKey = true;
          this.keyParts = [];
          this.keyStart = i + 1;
          this.lastKeyOffset = this.capturing && !this.capOversize ? this.capLen + (i - this.capStart) : -1;
        } else this.valueStart(i, 1);
        this.inStr = true;
        break;
      case 0x7b: // {
      case 0x5b: // [
        if (this.capturing && this.capKind === 2) this.finish(buf, i, out);
        if (this.depth === 0) {
          this.topIsObject = c === 0x7b;
          this.topIsArray = c === 0x5b;
          this.containerMode = false;
          this.containerKey = null;
          this.prefix = null;
          this.topKeys = 0;
          this.inEmbedded = false;
          if (this.topIsObject) this.valueStart(i, 0);
          this.expectKey = this.topIsObject;
        } else if (this.embeddedStarts(c)) {
          // its keys are read as the top-level object's own: no level deeper
          this.inEmbedded = true;
          this.expectKey = true;
          break;
        } else if (this.depth === 1 && this.topIsObject && c === 0x5b) {
          const key = this.keyPending ? this.keyText() : '';
          if (this.opts.containerKeys.has(key) || this.inEmbedded) {
            this.enterContainer(buf, i);
            this.containerKey = key;
          } else if (this.containerMode && this.opts.sideKeys.has(key)) this.containerKey = key;
        } else this.valueStart(i, 0);
        if (this.depth >= MAX_DEPTH) {
          this.broken(out, `JSON nested deeper than ${MAX_DEPTH} levels`);
          break;
        }
        this.depth++;
        this.stack[this.depth] = c === 0x7b ? OBJ : ARR;
        break;
      case 0x7d: // }
      case 0x5d: // ]
        if (this.capturing && this.capKind === 2) this.finish(buf, i, out);
        if (this.depth === 0) {
          out.push({
            line: this.line,
            key: null,
            bytes: null,
            size: 1,
            error: `unexpected "${String.fromCharCode(c)}"`,
          });
          break;
        }
        if (this.depth === 1 && this.inEmbedded) {
          // the end of `_embedded`, not of the page
          this.inEmbedded = false;
          break;
        }
        this.depth--;
        if (this.capturing && this.depth === this.capDepth && this.capKind === 0)
          this.finish(buf, i + 1, out);
        if (this.depth === 1 && this.containerKey !== null) this.containerKey = null;
        if (this.depth === 0) {
          this.topIsObject = false;
          this.topIsArray = false;
          this.containerMode = false;
          this.expectKey = false;
        }
        break;
      case 0x2c: // ,
        if (this.capturing && this.capKind === 2) this.finish(buf, i, out);
        if (this.depth === 1 && this.topIsObject) this.expectKey = true;
        break;
      case 0x3a: // :
        if (this.depth === 1 && this.topIsObject) {
          this.expectKey = false;
          this.keyPending = true;
        }
        break;
      default:
        this.valueStart(i, 2);
    }
  }

  end(out: JsonRecord[]): void {
    if (this.capturing && this.capKind === 2) this.finish(Buffer.alloc(0), 0, out);
    if (this.depth > 0 || this.inStr) {
      if (this.capturing) {
        out.push({
          line: this.capLine,
          key: this.capKey,
          bytes: null,
          size: this.capLen,
          error: `unexpected end of file: the JSON value starting on line ${this.capLine} is incomplete`,
        });
      } else {
        out.push({
          line: this.line,
          key: null,
          bytes: null,
          size: 0,
          error: 'unexpected end of file: the JSON document is incomplete (missing closing brackets)',
        });
      }
    }
    this.reset();
  }

  private reset() {
    this.depth = 0;
    this.topKeys = 0;
    this.inEmbedded = false;
    this.inStr = false;
    this.esc = false;
    this.inKey = false;
    this.topIsObject = false;
    this.topIsArray = false;
    this.expectKey = false;
    this.containerMode = false;
    this.containerKey = null;
    this.capturing = false;
    this.capParts = [];
    this.capLen = 0;
  }

  private broken(out: JsonRecord[], why: string) {
    if (this.capturing) {
      out.push({
        line: this.capLine,
        key: this.capKey,
        bytes: null,
        size: this.capLen,
        error: `broken JSON: ${why}`,
      });
    } else {
      out.push({ line: this.line, key: null, bytes: null, size: 0, error: `broken JSON: ${why}` });
    }
    this.reset();
  }

  /** An `_embedded` object opens the top-level object of an embedded page (see JsonScanOptions). */
  private embeddedStarts(c: number): boolean {
    return (
      c === 0x7b &&
      this.opts.embedded === true &&
      this.depth === 1 &&
      this.topIsObject &&
      !this.inEmbedded &&
      this.topKeys === 1 &&
      this.keyPending &&
      this.keyText() === '_embedded'
    );
  }

  /** A value begins at buf[i]; capture it when it is a record. kind: 0 object/array, 1 string, 2 literal. */
  private valueStart(i: number, kind: number) {
    if (this.capturing) return;
    if (this.depth === 0) this.beginCapture(i, kind, 0, null);
    else if (this.depth === 1 && this.topIsArray) this.beginCapture(i, kind, 1, null);
    else if (this.depth === 2 && this.containerKey !== null && this.stack[2] === ARR)
      this.beginCapture(i, kind, 2, this.containerKey);
  }

  private beginCapture(i: number, kind: number, depth: number, key: string | null) {
    this.capturing = true;
    this.capKind = kind;
    this.capDepth = depth;
    this.capKey = key;
    this.capLine = this.line;
    this.capParts = [];
    this.capLen = 0;
    this.capStart = i;
    this.capOversize = false;
  }

  private keep(part: Buffer) {
    this.capLen += part.length;
    if (this.capOversize) return;
    if (this.capLen > this.opts.maxBytes) {
      this.capOversize = true;
      this.capParts = [];
    } else this.capParts.push(part);
    this.capStart = 0;
  }

  private finish(buf: Buffer, end: number, out: JsonRecord[]) {
    const tail = buf.subarray(this.capStart, end);
    const size = this.capLen + tail.length;
    if (this.capOversize || size > this.opts.maxBytes) {
      out.push({
        line: this.capLine,
        key: this.capKey,
        bytes: null,
        size,
        error: `record is too large: ${size} bytes, over the ${this.opts.maxBytes}-byte limit (maxLineBytes)`,
      });
    } else {
      const bytes = this.capParts.length === 0 ? tail : Buffer.concat([...this.capParts, tail]);
      out.push({ line: this.capLine, key: this.capKey, bytes, size });
    }
    this.capturing = false;
    this.capParts = [];
    this.capLen = 0;
  }

  private endKey(buf: Buffer, i: number) {
    this.inKey = false;
    // Decoded lazily (only a key followed by "[" matters): remember where it is.
    if (this.keyParts.length === 0) {
      this.lastKeyChunk = buf;
      this.lastKeyFrom = this.keyStart;
      this.lastKeyTo = i;
    } else {
      this.lastKeyChunk = Buffer.concat([...this.keyParts, buf.subarray(this.keyStart, i)]);
      this.lastKeyFrom = 0;
      this.lastKeyTo = this.lastKeyChunk.length;
      this.keyParts = [];
    }
  }

  private keyText(): string {
    const b = this.lastKeyChunk;
    if (!b || this.lastKeyTo - this.lastKeyFrom > 64) return '';
    return b.toString('utf8', this.lastKeyFrom, this.lastKeyTo);
  }

  /** The top-level object turns out to be a container: drop its capture, keep what came before the key. */
  private enterContainer(buf: Buffer, i: number) {
    this.containerMode = true;
    if (!this.capturing || this.capDepth !== 0) return;
    if (this.capOversize || this.lastKeyOffset < 0) {
      this.prefixDropped = this.capOversize;
    } else {
      const all = Buffer.concat([...this.capParts, buf.subarray(this.capStart, i)]);
      let head = all.subarray(0, this.lastKeyOffset).toString('utf8').trimEnd();
      if (head.endsWith(',')) head = head.slice(0, -1);
      try {
        const v = JSON.parse(`${head}}`);
        if (v && typeof v === 'object' && Object.keys(v).length > 0)
          this.prefix = v as Record<string, unknown>;
      } catch {
        // members before the container were not valid JSON; the records themselves may still be fine
      }
    }
    this.capturing = false;
    this.capParts = [];
    this.capLen = 0;
  }
}

const NEWLINE = Buffer.from('\n');

/**
 * NDJSON splitter: lines up to `maxBytes` are cut with indexOf (fast) and handed out whole; a longer line
 * is streamed through a line-mode JsonScanner instead, so a big page on one line
 * (`{"type":"conversation.list","conversations":[…]}`) still yields its elements, while a single
 * oversized record is reported as too large — without ever buffering more than `maxBytes`.
 */
export class JsonLinesSplitter {
  private line = 0;
  private parts: Buffer[] = [];
  private partLen = 0;
  private scanning = false;
  private readonly scanner: JsonScanner;

  constructor(private readonly opts: JsonScanOptions) {
    this.scanner = new JsonScanner({ ...opts, lineMode: true });
  }

  /** Members before the container key of the last scanned page line (side-loads). */
  takePrefix(): Record<string, unknown> | null {
    const p = this.scanner.prefix;
    this.scanner.prefix = null;
    return p;
  }

  get prefixDropped(): boolean {
    return this.scanner.prefixDropped;
  }

  push(chunk: Buffer, out: JsonRecord[]): void {
    let start = 0;
    const max = this.opts.maxBytes;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (this.scanning) {
        this.scanner.push(chunk.subarray(start, nl < 0 ? chunk.length : nl), out);
        if (nl < 0) return;
        this.scanner.push(NEWLINE, out);
        this.scanning = false;
        start = nl + 1;
        continue;
      }
      if (nl < 0) {
        if (start < chunk.length) {
          this.parts.push(chunk.subarray(start));
          this.partLen += chunk.length - start;
          if (this.partLen > max) this.startScan(out);
        }
        return;
      }
      this.line++;
      const last = chunk.subarray(start, nl);
      let bytes = this.parts.length === 0 ? last : Buffer.concat([...this.parts, last]);
      this.parts = [];
      this.partLen = 0;
      if (bytes.length > 0 && bytes[bytes.length - 1] === 13) bytes = bytes.subarray(0, bytes.length - 1);
      if (bytes.length > max) {
        this.scanner.line = this.line;
        this.scanner.push(bytes, out);
        this.scanner.push(NEWLINE, out);
      } else out.push({ line: this.line, key: null, bytes, size: bytes.length });
      start = nl + 1;
    }
  }

  end(out: JsonRecord[]): void {
    if (this.scanning) {
      this.scanner.end(out);
      this.scanning = false;
    } else if (this.partLen > 0) {
      this.line++;
      let bytes = Buffer.concat(this.parts);
      if (bytes[bytes.length - 1] === 13) bytes = bytes.subarray(0, bytes.length - 1);
      out.push({ line: this.line, key: null, bytes, size: bytes.length });
    }
    this.parts = [];
    this.partLen = 0;
  }

  private startScan(out: JsonRecord[]) {
    this.line++;
    this.scanning = true;
    this.scanner.line = this.line;
    for (const p of this.parts) this.scanner.push(p, out);
    this.parts = [];
    this.partLen = 0;
  }
}
