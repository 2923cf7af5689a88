/** Small text helpers shared by the importers: HTML → plain text (server/domain/html.ts), subjects, timestamps → ISO UTC. */
import { type DayOrder, parseExportTimestamp } from '../domain/time.ts';
import type { Message } from '../domain/types.ts';

export { decodeEntities, htmlToText, tidy } from '../domain/html.ts';

/**
 * A reply's or forward's subject ("Re: Password reset", "AW: Ihre Bestellung", "Fwd: …") is the
 * thread's, often the company's own: put before the customer's words it was read as their request.
 */
const REPLY_SUBJECT = /^\s*(?:(?:re|aw|antw|sv|vs|r|rif|fw|fwd|wg|tr|rv|enc)\s*(?:\[\d+\])?\s*:\s*)+/i;

/**
 * Subjects a help desk writes itself for calls, chats and messaging (Zendesk's, in its JSON and CSV
 * exports alike): a colon or a number where a customer's own subject has words ("Call from: +49 30
 * 123", "Chat with Visitor 8812", "Conversation with +31 6 1234", but not "Call from my bank asking
 * for my PIN").
 */
const GENERATED_SUBJECT =
  /^(?:(?:(?:inbound|outbound|missed) )?(?:call|voicemail|sms|text message|message) (?:from|to):|(?:(?:inbound|outbound|missed) )?(?:call|voicemail) (?:from|to) \+?[\d(]|(?:chat|conversation) with (?:\+?[\d(]|(?:visitor|web user|guest|customer|user)(?: [\w#-]{1,16})?$)|(?:whatsapp|facebook|instagram|twitter|messenger|wechat|line|telegram|sms) (?:message|conversation|dm) (?:from|with) \+?[\d(@]|chat$|call$|voicemail$)/i;

/** Salesforce's chat cases: "Chat with Maria Lopez", a name in capitals and nothing else. */
const NAMED_CHAT_SUBJECT = /^(?:Chat|Conversation) with (?:\p{Lu}[\p{L}'.-]*\s?){1,4}$/u;

/**
 * The first customer message with the ticket's subject before it, unless the subject is a reply's,
 * already opens it, or was written by the help desk itself (a tester's Zendesk CSV put "Conversation
 * with Web User 25a9" before every chat's words).
 */
export function withSubject(subject: string, body: string): string {
  if (!subject || GENERATED_SUBJECT.test(subject.trim()) || NAMED_CHAT_SUBJECT.test(subject.trim()))
    return body;
  if (!body) return subject.replace(REPLY_SUBJECT, '');
  if (REPLY_SUBJECT.test(subject) || body.startsWith(subject)) return body;
  return `${subject}\n${body}`;
}

/** epoch ms → `YYYY-MM-DDTHH:MM:SSZ` (milliseconds kept only when non-zero). */
export function isoFromMs(ms: number): string {
  const day = Math.floor(ms / 86_400_000);
  const rest = ms - day * 86_400_000;
  if (rest % 1000 !== 0 || day < 0) {
    const s = new Date(ms).toISOString();
    return s.endsWith('.000Z') ? `${s.slice(0, 19)}Z` : s;
  }
  // Fast path (whole seconds): the date part is cached per day.
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
  }
  const secs = rest / 1000;
  const h = Math.floor(secs / 3600);
  const m = Math.floor((secs % 3600) / 60);
  const sec = secs % 60;
  return `${cachedPrefix}${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}:${sec < 10 ? '0' : ''}${sec}Z`;
}
let cachedDay = Number.NaN;
let cachedPrefix = '';

/** Unix seconds (number or numeric string) → ISO UTC, or null. */
export function isoFromUnixSeconds(v: unknown): string | null {
  const n =
    typeof v === 'number' ? v : typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isFinite(n) || n <= 0 || n > 32503680000) return null;
  return isoFromMs(Math.round(n * 1000));
}

/**
 * A date-time as exports write them → ISO UTC, or null. Accepts ISO 8601 (with or without zone; no zone
 * means UTC), `YYYY-MM-DD HH:MM(:SS)`, `YYYY/MM/DD`, a bare date (midnight UTC), unix seconds (9–11 digits),
 * unix milliseconds (12–14 digits), a numeric date with a two-digit year (`11/3/26`, read as 2026) and
 * the day/month spellings of `parseExportTimestamp` (`order`: which
 * comes first in the file's numeric dates, when known). Impossible dates (2026-02-30) are rejected.
 */
export function parseDateTime(v: unknown, order: DayOrder | null = null): string | null {
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v <= 0) return null;
    return v >= 1e11 ? isoFromMs(Math.round(v)) : isoFromUnixSeconds(v);
  }
  if (typeof v !== 'string') return null;
  const s = machineForms(localClock(v.trim()));
  if (s.length === 0) return null;
  if (/^\d{9,11}(\.\d+)?$/.test(s)) return isoFromUnixSeconds(s);
  // milliseconds, and as pandas writes them from a float column ("1788249600000.0")
  if (/^\d{12,14}(\.\d+)?$/.test(s)) return isoFromMs(Math.round(Number(s)));
  const ms = parseExportTimestamp(withFullYear(s), order);
  return ms === null ? null : isoFromMs(ms);
}

/**
 * ISO 8601 as programs write it besides the usual form: the basic one ("20260901T080000Z") and Java's
 * zoned date-time, its zone's name in brackets after the offset ("…+02:00[Europe/Berlin]").
 */
function machineForms(s: string): string {
  const basic = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (basic) {
    const [, y, mo, d, h, mi, sec, frac, zone] = basic;
    return `${y}-${mo}-${d}T${h}:${mi}:${sec ?? '00'}${frac ?? ''}${zone ?? ''}`;
  }
  return s.replace(/(Z|[+-]\d{2}:\d{2})\[[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*\]$/, '$1');
}

/**
 * A time written the local way, as the ISO one: a no-break space before it (Excel and Numbers
 * write one), "19:40 Uhr", and a dotted clock after a dotted date ("03.08.2026 19.40", as Finnish
 * and Danish exports write it).
 */
function localClock(s: string): string {
  if (!/[\u00a0\u202f]|uhr$|\d\.\d\d$/i.test(s)) return s;
  return s
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace(/(\d)\s*uhr$/i, '$1')
    .replace(/^(\d{1,2}\.\d{1,2}\.\d{2,4}),?\s+(\d{1,2})\.(\d{2})(?:\.(\d{2}))?$/, (_, day, h, m, sec) =>
      sec ? `${day} ${h}:${m}:${sec}` : `${day} ${h}:${m}`,
    );
}

// 11/3/26 9:15, 03.11.26: a numeric date whose year has two digits, as Excel writes it back
// (slashes and dots only: "26-03-04" is as likely year first, and stays unread)
const TWO_DIGIT_YEAR = /^(\d{1,2})([/.])(\d{1,2})\2(\d{2})(?=$|[\sT,])/;

/** A two-digit year written out (20xx: exports hold this century's dates); other text as is. */
export function withFullYear(s: string): string {
  return s.replace(TWO_DIGIT_YEAR, '$1$2$3$220$4');
}

// "(10:00:01) Visitor: my code is not accepted", "(10:02 AM) Jane: let me check", "[10:02:05] Jane: …"
// (a chat tool's transcript column), LiveChat's "[2024-03-07 00:13:00] Jane: …", Salesforce's
// "( 120s ) Jane: …" (seconds since the chat began), "Visitor: hi"
const STAMP = String.raw`(?:\(\s*\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]m)?\s*\)|\[(?:\d{4}-\d{2}-\d{2}[ T])?\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]m)?\]|\(\s*(?:\d+h\s*)?(?:\d+m\s*)?\d+s\s*\))`;
const TIMED_LINE = new RegExp(String.raw`^${STAMP}\s*`, 'i');
// the speaker may carry its role in brackets: "Alex (agent): …", "Sam Lee (visitor): …"
const TRANSCRIPT_LINE = new RegExp(
  String.raw`^(?:${STAMP}\s*)?([^:()[\]\n]{1,40}(?:\s*\([^():\n]{1,20}\))?):\s+(\S.*)$`,
  'i',
);
/** What a speaker is: the role in its brackets when it has one ("Alex (agent)" → "agent"). */
const speakerRole = (speaker: string) => /\(\s*([^()]+?)\s*\)$/.exec(speaker)?.[1] ?? speaker;
// a whole speaker name, with at most an id after it ("Visitor 8812", "Web User 64f1")
const CUSTOMER_SPEAKER =
  /^(?:visitor|customer|guest|user|web user|client|end[- ]user)(?: #?[0-9a-f-]{1,16})?$/i;
const STAFF_SPEAKER =
  /^(?:agent|bot|support|assistant|operator|admin|chatbot|ai|ai agent|virtual agent|virtual assistant)(?: #?[0-9a-f-]{1,16})?$/i;
/** Staff speakers that are the AI agent: their lines are its messages, and say it took part. */
const AI_SPEAKER =
  /^(?:bot|chatbot|assistant|ai|ai agent|virtual agent|virtual assistant)(?: #?[0-9a-f-]{1,16})?$/i;

// what a chat tool writes around the turns: Zendesk Chat's "Chat started: 2024-05-03 10:00 AM UTC"
// header and "(10:00:40 AM) *** Sam joined the chat ***" lines, its messaging transcripts'
// "Conversation with Web User 64f1" and "URL: …" header. Kept, they stopped the text being read as a
// transcript, and the agent's turns became the customer's words.
const TRANSCRIPT_FRAME = new RegExp(
  String.raw`^(?:${STAMP}\s*)?\*{3}.*\*{3}$` +
    String.raw`|^(?:chat (?:started|ended)(?: on)?|conversation (?:started|ended)(?: on)?|chat transcript|chat origin|url|referr?er|page url)\s*:` +
    // Salesforce's header line naming the agent who took the chat ("Agent Sam R")
    '|^agent [^:]{1,40}$' +
    '|^conversation with [^:]{1,60}$',
  'i',
);

/**
 * A chat transcript as messages: lines "speaker: text" (a line without a speaker, or a form's label,
 * continues the turn before it), with a time on every line, or both a visitor-like and a staff-like
 * speaker named, or the team's greeting first answered by one named speaker over three turns or
 * more (so "Customer name: John / Order number: 55102" is a form, not a chat). Visitor-like speakers
 * are the customer; without one, the first speaker who is not the team. Null when the text is not
 * a transcript.
 */
export function transcriptMessages(
  text: string,
  at: string | null,
  /** false: only a transcript with a time on every line (a text whose speakers could be a form's labels) */
  untimed = true,
): Message[] | null {
  const lines = text.split('\n').filter((l) => l.trim() !== '' && !TRANSCRIPT_FRAME.test(l.trim()));
  if (lines.length === 0) return null;
  const timed = lines.every((l) => TIMED_LINE.test(l.trim()));
  if (!timed && !untimed) return null;
  if (lines.length < 2 && !timed) return null;
  const parsed: { speaker: string; text: string }[] = [];
  for (const l of lines) {
    const m = TRANSCRIPT_LINE.exec(l.trim());
    // a line without a speaker goes on the turn before it (an e-mail's paragraphs, a signature):
    // one such line left every thread of an export unsplit, the team's replies read as the customer's
    if (!m || (parsed.length > 0 && !TIMED_LINE.test(l.trim()) && !knownSpeaker(m[1]!.trim(), parsed))) {
      if (parsed.length === 0) return null;
      parsed[parsed.length - 1]!.text += `\n${l.trim()}`;
      continue;
    }
    parsed.push({ speaker: m[1]!.trim(), text: m[2]!.trim() });
  }
  const speakers = new Set(parsed.map((p) => p.speaker));
  if (speakers.size > 3) return null;
  const visitors = [...speakers].filter((sp) => CUSTOMER_SPEAKER.test(speakerRole(sp)));
  const staff = [...speakers].filter(isStaffSpeaker);
  const others = [...speakers].filter((sp) => !isStaffSpeaker(sp));
  // untimed, a transcript needs the team and the customer named as such, or a greeting by the team
  // first and one other speaker answering it ("Name: Jane / Support plan: Premium" is a form)
  if (
    !timed &&
    (staff.length === 0 ||
      (visitors.length === 0 &&
        (others.length !== 1 || !isStaffSpeaker(parsed[0]!.speaker) || parsed.length < 3)))
  )
    return null;
  // the customer: a visitor-like name, else the first speaker who is not the team (a bot's greeting
  // first made the bot the customer and the customer an agent)
  const customer = parsed.find((p) => !isStaffSpeaker(p.speaker))?.speaker;
  const isCustomer = (sp: string) => (visitors.length > 0 ? visitors.includes(sp) : sp === customer);
  return parsed.map((p) => ({
    role: isCustomer(p.speaker) ? 'customer' : isAiSpeaker(p.speaker) ? 'ai' : 'agent',
    text: p.text,
    ...(at && { at }),
  }));
}

// a bot by a name that ends in the word: Zendesk's "Answer Bot" (and "Otto (bot)" by its role); a
// word inside a label ("Support plan", "Your bot said", "Operator") names no speaker: forms and
// e-mails were split into fake turns and the customer's words given to the team (a diff review)
const BOT_NAME = /^[a-z][\w.'&-]*(?: [a-z][\w.'&-]*){0,2} (?:bot|chatbot)$/i;
const isAiSpeaker = (sp: string) => AI_SPEAKER.test(speakerRole(sp)) || BOT_NAME.test(sp);
const isStaffSpeaker = (sp: string) => STAFF_SPEAKER.test(speakerRole(sp)) || isAiSpeaker(sp);

/** A form's field, never a speaker's name: "Order: 1234", "Subject: …" in a customer's words. */
const FORM_LABEL =
  /^(?:order|order number|subject|re|name|account|account number|message|note|address|e-?mail|phone|issue|date|ticket|reference|ref|number|id|product|problem|description|details?|your \w+)$/i;

/**
 * Whether a "Word: text" line inside a turn names a speaker: one already speaking, a speaker's name
 * by its form (a visitor, the team, a bot), or the customer's own name before they have spoken —
 * not "Order: 1234" in the customer's words.
 */
function knownSpeaker(speaker: string, parsed: readonly { speaker: string }[]): boolean {
  if (FORM_LABEL.test(speaker)) return false;
  if (parsed.some((p) => p.speaker === speaker) || CUSTOMER_SPEAKER.test(speakerRole(speaker))) return true;
  if (isStaffSpeaker(speaker)) return true;
  // a customer by their name ("Maria: …") right after the team's greeting on the first line
  return parsed.length === 1 && isStaffSpeaker(parsed[0]!.speaker);
}
