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
  private lastKey = '';
  private lastKeyOffset = -1;
  private currentKey = '';
  private containerMode = false;
  private containerKey: string | null = null;
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
  private tooDeep = false;

  constructor(private readonly opts: JsonScanOptions) {}

  push(buf: Buffer, out: JsonRecord[]): void {
    const n = buf.length;
    this.capStart = 0;
    if (this.inKey) this.keyStart = 0;
    for (let i = 0; i < n; i++) {
      const c = buf[i]!;
      if (this.inStr) {
        if (this.esc) this.esc = false;
        else if (c === 0x5c) this.esc = true;
        else if (c === 0x22) {
          this.inStr = false;
          if (this.inKey) this.endKey(buf, i);
          else if (this.capturing && this.capKind === 1 && this.depth === this.capDepth) this.finish(buf, i + 1, out);
        } else if (c === 0x0a) {
          if (this.opts.lineMode) this.broken(out, 'the line ends inside a string');
          this.line++;
        }
        continue;
      }
      switch (c) {
        case 0x0a:
          if (this.capturing && this.capKind === 2) this.finish(buf, i, out);
          if (this.opts.lineMode && (this.depth > 0 || this.inStr)) this.broken(out, 'the line ends before the JSON value is complete');
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
            this.inKey = true;
            this.keyParts = [];
            this.keyStart = i + 1;
            this.lastKeyOffset = this.capturing && !this.capOversize ? this.capLen + (i - this.capStart) : -1;
          } else this.valueStart(buf, i, 1);
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
            if (this.topIsObject) this.valueStart(buf, i, 0);
            this.expectKey = this.topIsObject;
          } else if (this.depth === 1 && this.topIsObject && c === 0x5b) {
            const key = this.currentKey;
            if (this.opts.containerKeys.has(key)) {
              this.enterContainer(buf, i);
              this.containerKey = key;
            } else if (this.containerMode && this.opts.sideKeys.has(key)) this.containerKey = key;
          } else this.valueStart(buf, i, 0);
          if (this.depth >= MAX_DEPTH) {
            this.tooDeep = true;
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
            out.push({ line: this.line, key: null, bytes: null, size: 1, error: `unexpected "${String.fromCharCode(c)}"` });
            break;
          }
          this.depth--;
          if (this.capturing && this.depth === this.capDepth && this.capKind === 0) this.finish(buf, i + 1, out);
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
            this.currentKey = this.lastKey;
          }
          break;
        default:
          this.valueStart(buf, i, 2);
      }
    }
    if (this.capturing) this.keep(buf.subarray(this.capStart));
    if (this.inKey) this.keyParts.push(buf.subarray(this.keyStart));
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
      out.push({ line: this.capLine, key: this.capKey, bytes: null, size: this.capLen, error: `broken JSON: ${why}` });
    } else {
      out.push({ line: this.line, key: null, bytes: null, size: 0, error: `broken JSON: ${why}` });
    }
    this.reset();
    if (this.tooDeep) this.tooDeep = false;
  }

  /** A value begins at buf[i]; capture it when it is a record. kind: 0 object/array, 1 string, 2 literal. */
  private valueStart(buf: Buffer, i: number, kind: number) {
    if (this.capturing) return;
    if (this.depth === 0) this.beginCapture(i, kind, 0, null);
    else if (this.depth === 1 && this.topIsArray) this.beginCapture(i, kind, 1, null);
    else if (this.depth === 2 && this.containerKey !== null && this.stack[2] === ARR)
      this.beginCapture(i, kind, 2, this.containerKey);
    void buf;
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
    const last = buf.subarray(this.keyStart, i);
    const raw = this.keyParts.length ? Buffer.concat([...this.keyParts, last]) : last;
    this.keyParts = [];
    this.lastKey = raw.length <= 64 ? raw.toString('utf8') : '';
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
        if (v && typeof v === 'object' && Object.keys(v).length > 0) this.prefix = v as Record<string, unknown>;
      } catch {
        // members before the container were not valid JSON; the records themselves may still be fine
      }
    }
    this.capturing = false;
    this.capParts = [];
    this.capLen = 0;
  }
}
