/**
 * Plain CSV (one row per conversation) → canonical conversations. Streaming: a record parser fed line by
 * line (quoted fields may span lines), header aliases matched case/space/punctuation-insensitively.
 */
import { createHash } from 'node:crypto';
import {
  type DayOrder,
  type DayOrderEvidence,
  dayOrderEvidence,
  isAmbiguousDate,
  knownZoneAbbreviation,
  type TimeWindow,
} from '../domain/time.ts';
import type { Channel, Conversation, Message, ResolutionState } from '../domain/types.ts';
import { finalize, INTERCOM_RATING_WORDS, type MapResult, rating1to5, type Tally } from './common.ts';
import { withNestedMessages } from './nested-messages.ts';
import {
  decodeEntities,
  htmlToText,
  parseDateTime,
  tidy,
  transcriptMessages,
  withFullYear,
  withSubject,
} from './text.ts';
import { ImportError } from './types.ts';

export type CsvField =
  | 'id'
  | 'createdAt'
  | 'text'
  | 'subject'
  | 'outcome'
  | 'rating'
  | 'channel'
  | 'topic'
  | 'tags'
  | 'aiInvolved'
  | 'reopened'
  | 'author'
  | 'visibility';

/** Aliases per field, best first, in normalised form (lower case, letters and digits only). */
export const CSV_ALIASES: Record<CsvField, string[]> = {
  id: [
    'id',
    'conversationid',
    'ticketid',
    'caseid',
    'chatid',
    'threadid',
    'ticketnumber',
    'ticket',
    'case',
    'ref',
    'casenumber',
    'ticketno',
    'conversationnumber',
    'recordid',
    // a chat tool's conversation (Crisp's session_id)
    'sessionid',
    // dialogue data sets
    'dialogueid',
    'dialogid',
    // exports with German, French, Spanish, Dutch, Italian or Portuguese headers
    'ticketnummer',
    'ticketnr',
    'fallnummer',
    'vorgangsnummer',
    'numeroduticket',
    'numeroticket',
    'numerodeticket',
    'numerodelticket',
    'iddelticket',
    'iddoticket',
  ],
  createdAt: [
    'createdat',
    'created',
    'createddate',
    'createdtime',
    'createdon',
    'creationdate',
    'datecreated',
    'timestamp',
    'date',
    'datetime',
    'time',
    'startedat',
    'startdate',
    'openedat',
    'opened',
    'submittedat',
    'createdatetime',
    'createddatetime',
    'createdate',
    'datetimeopened',
    'dateopened',
    'opendate',
    'createdtimestamp',
    'conversationstarted',
    // Intercom's reporting export ("Conversation started at (UTC)")
    'conversationstartedat',
    'receivedat',
    // Intercom's message export: the message's own time first (messages in order), else its conversation's
    'messagecreatedat',
    'conversationcreatedat',
    // Front's message export
    'messagedate',
    // LiveChat's chat list
    'chatstartdate',
    // a chat log's start
    'started',
    'starttime',
    'startedon',
    'conversationstart',
    'chatstarted',
    'sentat',
    // German, French, Spanish, Dutch, Italian, Portuguese
    'erstellt',
    'erstelltam',
    'erstellungsdatum',
    'erstellungszeit',
    'eingangsdatum',
    'datum',
    'zeitstempel',
    'datedecreation',
    'creele',
    'cree',
    'horodatage',
    'fechadecreacion',
    'creado',
    'creadoel',
    'fecha',
    'aangemaakt',
    'aangemaaktop',
    'aanmaakdatum',
    'datadicreazione',
    'creato',
    'creatoil',
    'datadecriacao',
    'criadoem',
    'erstelldatum',
    'anlagedatum',
    'eroffnetam',
    'datumuhrzeit',
    'dateheure',
    'ouvertle',
    'datedouverture',
    'datacreazione',
    'dataora',
    'datumtijd',
    'datumaangemaakt',
    'fechahora',
    'datahora',
  ],
  text: [
    'text',
    'body',
    'message',
    'messages',
    // Freshdesk's plain-text copy of the HTML description
    'descriptiontext',
    'description',
    'content',
    'transcript',
    'conversationtext',
    'question',
    'customermessage',
    'firstmessage',
    'comment',
    'comments',
    'ticketdescription',
    'casedescription',
    'firstcustomermessage',
    'initialmessage',
    'customerquery',
    'query',
    'inquiry',
    'enquiry',
    'request',
    // intent and chatbot data sets
    'utterance',
    'sentence',
    // Intercom's message export
    'messagebody',
    // LiveChat's chat list: the whole chat, split by speaker when its lines name them
    'chattranscript',
    // cuts of a message, when nothing fuller is there: Front's "Extract"; Kustomer's "Preview"
    // (the first message), Help Scout's (its latest thread's)
    'extract',
    'preview',
    // German, French, Spanish, Dutch, Italian, Portuguese (after every English name: a file that
    // has both is read by its English one)
    'nachricht',
    'beschreibung',
    'inhalt',
    'anfrage',
    'kundennachricht',
    'contenu',
    'demande',
    'mensaje',
    'descripcion',
    'contenido',
    'consulta',
    'bericht',
    'omschrijving',
    'beschrijving',
    'vraag',
    'messaggio',
    'descrizione',
    'richiesta',
    'mensagem',
    'descricao',
    'pergunta',
  ],
  subject: [
    'subject',
    'title',
    'ticketname',
    'ticketsubject',
    'casesubject',
    // Intercom's message CSV ("Conversation subject"), an e-mail tool's "Email subject"
    'conversationsubject',
    'conversationtitle',
    'emailsubject',
    'betreff',
    'titel',
    'objet',
    'sujet',
    'asunto',
    'titulo',
    'onderwerp',
    'oggetto',
    'assunto',
  ],
  outcome: [
    'outcome',
    'airesolutionstate',
    'resolutionstate',
    'finresolutionstate',
    'finaiagentresolutionstate',
    'resolution',
    'result',
    'status',
    'state',
    // a help desk's own ticket status in German, French, Spanish, Italian, Portuguese
    'statut',
    'estado',
    'stato',
  ],
  rating: [
    'rating',
    'csat',
    'csatscore',
    'csatrating',
    // Kustomer writes its normalised 1–5 "Satisfaction Rating" beside the survey's raw "Satisfaction"
    'satisfactionrating',
    'satisfaction',
    'satisfactionscore',
    'customerrating',
    'score',
    'satisfactionsurvey',
    'satisfactionsurveyscore',
    'conversationrating',
    'csatresponse',
    'customersatisfaction',
    'satisfactionsurveyrating',
    'ratingscore',
    // Freshdesk's ticket export ("Survey results": Awesome / Just Okay / Not Good…)
    'surveyresults',
    'surveyresult',
    'surveyscore',
    // Zoho Desk (Good / Okay / Bad)
    'happinessrating',
    // LiveChat (rated good / rated bad / not rated)
    'chatrating',
    // German, French, Spanish, Dutch, Italian, Portuguese (not the French "Note": in English it is
    // an internal note's text)
    'bewertung',
    'zufriedenheit',
    'kundenzufriedenheit',
    'valoracion',
    'calificacion',
    'puntuacion',
    'satisfaccion',
    'beoordeling',
    'waardering',
    'tevredenheid',
    'valutazione',
    'soddisfazione',
    'avaliacao',
    'satisfacao',
    'evaluation',
    'notedesatisfaction',
    'satisfactionclient',
    'noteclient',
  ],
  channel: [
    'channel',
    'source',
    'via',
    'viachannel',
    'medium',
    'caseorigin',
    'origin',
    'ticketsource',
    'sourcechannel',
    'contactchannel',
    // Kustomer's list of a conversation's channels
    'channels',
    'kanal',
    'eingangskanal',
    'quelle',
    'canal',
    'origine',
    'fuente',
    'kanaal',
    'bron',
    'canale',
    'origem',
  ],
  topic: [
    'topic',
    'category',
    'contactreason',
    'reason',
    'intent',
    'casereason',
    'kategorie',
    'thema',
    'anliegen',
    'categorie',
    'motif',
    'categoria',
    'motivo',
    'tema',
  ],
  tags: [
    'tags',
    'labels',
    'tag',
    'conversationtags',
    'schlagworte',
    'etiketten',
    'etiquettes',
    'etiquetas',
    'etichette',
  ],
  aiInvolved: [
    'aiinvolved',
    'ai',
    'aiagentparticipated',
    'finparticipated',
    'finaiagentinvolved',
    'botinvolved',
    'automated',
  ],
  reopened: ['reopened', 'reopens', 'reopencount', 'countreopens'],
  // one row per message: who wrote it (csv-messages.ts groups the rows by conversation id)
  author: [
    // Front's and Kustomer's message exports: Inbound / Outbound, in / out (their "Author" is the
    // teammate who wrote an outbound message, empty for the customer's)
    'direction',
    'author',
    'authortype',
    'authorrole',
    'role',
    'sender',
    'sendertype',
    'senderrole',
    'speaker',
    'usertype',
    'participanttype',
    'messagefrom',
    'writtenby',
    'messageauthortype',
    // Crisp's messages: user / operator
    'from',
    'absender',
    'verfasser',
    'autor',
    'auteur',
    'expediteur',
    'remitente',
    'afzender',
    'mittente',
    'remetente',
  ],
  // one row per message: whether the customer saw it (an internal note is the team's, not a reply)
  visibility: [
    'parttype',
    'messagetype',
    'commenttype',
    'visibility',
    'public',
    'ispublic',
    'visibletocustomer',
    'customervisible',
    'internal',
    'isinternal',
    'internalnote',
    'isnote',
    'private',
    'isprivate',
    'type',
  ],
};

const FIELD_ORDER: CsvField[] = [
  'id',
  'createdAt',
  'text',
  'subject',
  'outcome',
  'rating',
  'channel',
  'topic',
  'tags',
  'aiInvolved',
  'reopened',
  'author',
  'visibility',
];

/**
 * A header as matched against the aliases: a unit or scale in brackets is dropped ("Created at
 * (UTC)", "CSAT score (1-5)"), then case, spaces and punctuation.
 */
/** accents off ("Téléphone" → telephone), only when there is one: slug runs for several cells a row */
function withoutAccents(s: string): string {
  return /[\u00c0-\u024f]/.test(s) ? s.normalize('NFD').replace(/[\u0300-\u036f]/g, '') : s;
}

export const normHeader = (h: string) =>
  // accents off ("Créé le", "Descripción"), ß as ss: a localised export's header is found by its letters
  withoutAccents((h.replace(/\s*[([][^)\]]*[)\]]\s*/g, ' ').trim() || h).toLowerCase())
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]/g, '');

export interface CsvMapping {
  /** field → column index */
  columns: Partial<Record<CsvField, number>>;
  /** original header → field (for the UI) */
  mapping: Record<string, string>;
  ignored: string[];
  headers: string[];
  /** JSON records only: no text field, the words are in each record's own list of messages (its key) */
  textInMessages?: string;
}

/** Headers that name a conversation's id, never a message's or a session's (see mapCsvHeader). */
const CONVERSATION_ID_HEADERS = new Set(['conversationid', 'ticketid', 'caseid', 'chatid', 'threadid']);

export function mapCsvHeader(headers: string[]): CsvMapping {
  const norm = headers.map((h) => normHeader(h));
  const used = new Set<number>();
  const columns: Partial<Record<CsvField, number>> = {};
  for (const field of FIELD_ORDER) {
    const aliases = CSV_ALIASES[field];
    let best = -1;
    let bestRank = Number.POSITIVE_INFINITY;
    norm.forEach((h, i) => {
      if (used.has(i)) return;
      const rank = aliases.indexOf(h);
      if (rank >= 0 && rank < bestRank) {
        best = i;
        bestRank = rank;
      }
    });
    if (best >= 0) {
      columns[field] = best;
      used.add(best);
    }
  }
  // A file of one row per message with both a bare "ID" and a conversation's id (Kustomer's message
  // export: ID, Conversation ID, …): the bare one is the message's, and read as the conversation's it
  // made every message a conversation of its own, the team's replies customer requests
  if (columns.author !== undefined && columns.id !== undefined && norm[columns.id] === 'id') {
    const conversation = norm.findIndex((h, i) => !used.has(i) && CONVERSATION_ID_HEADERS.has(h));
    if (conversation >= 0) {
      used.delete(columns.id);
      columns.id = conversation;
      used.add(conversation);
    }
  }
  // visibility only means something per message (a ticket's "Type" is question / incident…)
  if (columns.visibility !== undefined && (columns.author === undefined || columns.id === undefined)) {
    used.delete(columns.visibility);
    delete columns.visibility;
  }
  // one row per conversation without a channel column: a "Type" column may name the channel (Help
  // Scout's email / chat / phone); values that are not channels (Zendesk's question / incident) are
  // left unread, without a note (CsvMapper.channelFromType)
  if (columns.channel === undefined && columns.author === undefined) {
    const type = norm.findIndex((h, i) => h === 'type' && !used.has(i));
    if (type >= 0) {
      columns.channel = type;
      used.add(type);
    }
  }
  const mapping: Record<string, string> = {};
  for (const field of FIELD_ORDER) {
    const i = columns[field];
    if (i !== undefined) mapping[headers[i]!.trim() || `column ${i + 1}`] = field;
  }
  const ignored = headers.filter((_, i) => !used.has(i)).map((h) => h.trim());
  return { columns, mapping, ignored, headers };
}

/**
 * Lines above a CSV's header row that are a report's title ("Ticket export – Acme GmbH", "Period:
 * 01.08.–30.11.2026", blank lines): how many raw lines of `text` (the file's head) to skip so that the
 * next one is the header, or 0. Only when the first line is no header (under two known columns) and
 * one of the next six is (two or more, a text column among them), with at most two filled cells on
 * every line before it. Such a file was refused: its title was read as the header.
 */
export function csvTitleLines(text: string): number {
  const lines = text.split('\n', 12).map((l) => l.replace(/\r$/, ''));
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0 || excelSepLine(lines[first]!) !== null) return 0;
  const header = (line: string) => {
    const delimiter = sniffDelimiter(line);
    const cells = parseCsvText(line, delimiter)[0] ?? [];
    return { delimiter, cells, m: mapCsvHeader(cells) };
  };
  const known = (h: ReturnType<typeof header>) => h.cells.length >= 2 && Object.keys(h.m.columns).length >= 2;
  if (known(header(lines[first]!))) return 0;
  for (let k = first + 1; k < Math.min(lines.length, first + 7); k++) {
    if (lines[k]!.trim() === '') continue;
    const h = header(lines[k]!);
    if (!known(h) || h.m.columns.text === undefined) continue;
    const titleLike = lines
      .slice(first, k)
      .every((l) => (parseCsvText(l, h.delimiter)[0] ?? []).filter((c) => c.trim() !== '').length <= 2);
    return titleLike ? k : 0;
  }
  return 0;
}

/** `text` from its header row on (csvTitleLines), and how many title lines were cut. */
export function csvTable(text: string): { titleLines: number; table: string } {
  const titleLines = csvTitleLines(text);
  return { titleLines, table: titleLines ? text.split('\n').slice(titleLines).join('\n') : text };
}

/**
 * A file whose time column has a header no alias knows ("Datum/Uhrzeit", "Data/Ora", "Opened
 * (local)") was read as undated: every conversation on one day, the whole export as one month's
 * volume, saved so. The first unmapped column whose cells in `head` (the file's first bytes, header
 * row first) all read as dates, bar one in ten, is taken as the created time instead, and named in
 * `createdByContent` so the import report says so. Plain numbers are not dates here (ids, counts).
 */
export function withDateColumnByContent(
  m: CsvMapping,
  head: string,
  delimiter: string,
): CsvMapping & { createdByContent?: string } {
  if (m.columns.createdAt !== undefined || m.headers.length < 2) return m;
  const rows = parseCsvText(head, delimiter).slice(1, 201);
  const mapped = new Set(Object.values(m.columns));
  const candidates: number[] = [];
  for (let i = 0; i < m.headers.length; i++) {
    if (mapped.has(i) || OTHER_TIME_HEADER.test(normHeader(m.headers[i]!))) continue;
    const cells = rows.map((r) => (r[i] ?? '').trim()).filter((c) => c !== '');
    if (cells.length < 3) continue;
    const dated = cells.filter(
      (c) =>
        !/^-?\d+(?:[.,]\d+)?$/.test(c) &&
        (parseDateTime(c, 'dmy') !== null || parseDateTime(c, 'mdy') !== null),
    ).length;
    if (dated >= cells.length * 0.9) candidates.push(i);
  }
  // one date column, or one among several whose name says the conversation opened then; else none
  // (of two unnamed dates, which is the ticket's would be a guess: the file stays undated)
  const opened = candidates.filter((i) => OPENED_HEADER.test(normHeader(m.headers[i]!)));
  const i = candidates.length === 1 ? candidates[0] : opened.length === 1 ? opened[0] : undefined;
  if (i === undefined) return m;
  const header = m.headers[i]!.trim() || `column ${i + 1}`;
  const ignoredAt = m.ignored.indexOf(m.headers[i]!.trim());
  return {
    ...m,
    columns: { ...m.columns, createdAt: i },
    mapping: { ...m.mapping, [header]: 'createdAt' },
    ignored: m.ignored.filter((_, k) => k !== ignoredAt),
    createdByContent: header,
  };
}

/** Headers of a time that is not when the conversation began: updated, closed, due, an order's, a customer's… */
const OTHER_TIME_HEADER =
  /updat|modif|chang|bearbeit|geandert|geaendert|gewijzigd|aggiorn|miseajour|actualiz|atualiz|clos|clotur|cierre|chius|fechado|gesloten|geschlossen|resolv|resolu|risolt|solv|gelost|erledigt|opgelost|due|fallig|faellig|echeance|scadenz|vencim|deadline|order|bestell|command|pedido|ordine|since|seit|depuis|desde|birth|geburt|expir|ablauf|renew|verlang|contract|vertrag|ship|versand|deliver|liefer|livr|entreg|consegn|last|letzt|dernier|ultim|respon|reply|antwort|repons|respuest|rispost|assign|zugewiesen|archiv|snooz|wiedervorlage|reopen|wiedereroffn|wiedereroeffn|ended|enddate|endtime|finish|paid|bezahl|invoice|rechnung|factur|fattur|termin/;

/** Headers that say the conversation opened then, among several date columns. */
const OPENED_HEADER =
  /creat|erstell|anlage|angelegt|eingang|eroffn|geoffn|open|ouvert|abiert|apert|aberto|geopend|start|begin|receiv|empfang|recu|recib|ricev|recebid|submit|eingereicht|aangemaakt|cree|creado|creato|criado/;

/**
 * The order of the numeric dates in a CSV's created-time column, read off the rows in `head` (the
 * file's first bytes): a day past the 12th in first place says day first, in second place month
 * first. Null when the head does not say.
 */
export function csvDayOrder(
  head: string,
  delimiter: string,
  column: number | undefined,
): DayOrderEvidence | null {
  if (column === undefined) return null;
  const rows = parseCsvText(head, delimiter).slice(1);
  return dayOrderEvidence(rows.map((r) => withFullYear((r[column] ?? '').trim())));
}

// a help desk's rich-text body exported as is: the tags it writes (bounded, so "<a <a <a…" stays
// linear; one-letter tags only in their exact forms, so "a<b and c>d" is not a <b> tag)
const HTML_TAG =
  /<\/?(?:p|div|br|span|strong|em|ul|ol|li|table|tbody|thead|tr|td|th|img|h[1-6]|blockquote|pre|code|font|hr)(?:\s[^<>]{0,300})?\/?>|<(?:\/?[biu]|a\s+href=[^<>]{0,300}|\/a)>/i;
const HTML_ENTITY = /&(?:nbsp|amp|lt|gt|quot|apos|#\d{1,6}|#x[0-9a-f]{1,6});/i;

/**
 * A CSV cell's text: HTML (as help desks export rich-text bodies) read as text; entities alone
 * decoded, leaving any other "<…>" as written ("From: John <john@x.com>"); spaces tidied.
 */
function csvText(cell: string): string {
  if (HTML_TAG.test(cell)) return htmlToText(cell);
  return HTML_ENTITY.test(cell) ? tidy(decodeEntities(cell)) : tidy(cell);
}

/** The delimiter an Excel `sep=;` first line names (written before the header), or null. */
export function excelSepLine(line: string): string | null {
  const m = /^"?sep=([,;\t|])"?[,;\t|]*\r?$/i.exec(line);
  return m ? m[1]! : null;
}

/**
 * The "delimiter" of a file with one column: a character text never holds, so each line is read
 * whole — a list of requests under a "text" header has commas in its sentences, and reading them as
 * a comma-separated file cut "I was charged twice, please help" into two columns and rejected it.
 */
export const ONE_COLUMN = '\u0000';

/**
 * Most frequent delimiter on the header line outside quotes: comma, semicolon, tab or pipe; none
 * of them: ONE_COLUMN.
 */
export function sniffDelimiter(headerLine: string): string {
  // Excel's `sep=;` line above the header names it (the parser then skips that line)
  const sep = excelSepLine(headerLine);
  if (sep) return sep;
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0, '|': 0 };
  let q = false;
  for (const ch of headerLine) {
    if (ch === '"') q = !q;
    else if (!q && ch in counts) counts[ch]!++;
  }
  if (headerLine.trim() !== '' && Object.values(counts).every((n) => n === 0)) return ONE_COLUMN;
  let best = ',';
  for (const d of [';', '\t', '|']) if (counts[d]! > counts[best]!) best = d;
  return best;
}

export interface CsvRecord {
  line: number;
  fields: string[] | null;
  error?: string;
  /**
   * Physical lines the record spans, when more than one. An unreadable record over many lines is
   * most often a quote left open that swallowed the rows after it: each of them is counted as
   * rejected, so a file that lost most of its rows fails the reject-rate rule instead of passing
   * with one reject.
   */
  lines?: number;
}

/** Incremental CSV record parser (RFC 4180 quoting, lenient about text after a closing quote). */
export class CsvRecordParser {
  private fields: string[] = [];
  private field = '';
  private inQuotes = false;
  private recLine = 0;
  private recSize = 0;
  private recLines = 0;
  /** no record started yet: an Excel `sep=;` line there is not a row (accounts.csv, parseCsvText) */
  private first = true;
  constructor(
    private readonly delim: string,
    private readonly max: number,
  ) {}

  /** Feed one physical line (without its terminator); text null = unusable line with `error`. */
  pushLine(line: number, text: string | null, size: number, error: string | null, out: CsvRecord[]): void {
    if (text === null) {
      if (this.inQuotes) {
        out.push(
          this.spanned(
            {
              line: this.recLine,
              fields: null,
              error: `${error} (inside a quoted field that started on line ${this.recLine})`,
            },
            1,
          ),
        );
        this.resetRecord();
      } else out.push({ line, fields: null, error: error ?? 'unreadable line' });
      return;
    }
    if (!this.inQuotes) {
      if (text.length === 0 || (text.length < 200 && text.trim() === '')) return;
      if (this.first) {
        this.first = false;
        if (excelSepLine(text) !== null) return;
      }
      this.fields = [];
      this.field = '';
      this.recLine = line;
      this.recSize = 0;
      this.recLines = 0;
    }
    this.recSize += size + 1;
    this.recLines++;
    if (this.recSize > this.max) {
      out.push(
        this.spanned({
          line: this.recLine,
          fields: null,
          error: `record is too large: over the ${this.max}-byte limit (maxLineBytes); is a quote left open on line ${this.recLine}?`,
        }),
      );
      this.resetRecord();
      return;
    }
    const s = text;
    const d = this.delim;
    let i = 0;
    for (;;) {
      if (this.inQuotes) {
        const q = s.indexOf('"', i);
        if (q < 0) {
          this.field += `${s.slice(i)}\n`;
          return;
        }
        if (s.charCodeAt(q + 1) === 34) {
          this.field += s.slice(i, q + 1);
          i = q + 2;
          continue;
        }
        this.field += s.slice(i, q);
        this.inQuotes = false;
        i = q + 1;
        const k = s.indexOf(d, i);
        if (k < 0) {
          this.fields.push(this.field + s.slice(i));
          this.field = '';
          this.emit(out);
          return;
        }
        this.fields.push(this.field + s.slice(i, k));
        this.field = '';
        i = k + d.length;
        continue;
      }
      if (s.charCodeAt(i) === 34) {
        this.inQuotes = true;
        i++;
        continue;
      }
      const k = s.indexOf(d, i);
      if (k < 0) {
        this.fields.push(s.slice(i));
        this.emit(out);
        return;
      }
      this.fields.push(s.slice(i, k));
      i = k + d.length;
    }
  }

  end(out: CsvRecord[]): void {
    if (this.inQuotes)
      out.push(
        this.spanned({
          line: this.recLine,
          fields: null,
          error: `unterminated quoted field: the quote opened on line ${this.recLine} is never closed`,
        }),
      );
    this.resetRecord();
  }

  private emit(out: CsvRecord[]) {
    out.push(this.spanned({ line: this.recLine, fields: this.fields }));
    this.fields = [];
  }

  /** The record with the lines it spans (and `extra` more not yet counted), when over one. */
  private spanned(rec: CsvRecord, extra = 0): CsvRecord {
    const lines = this.recLines + extra;
    if (lines > 1) {
      rec.lines = lines;
      if (rec.error) rec.error += ` — its ${lines.toLocaleString('en-US')} lines are counted as rejected`;
    }
    return rec;
  }

  private resetRecord() {
    this.fields = [];
    this.field = '';
    this.inQuotes = false;
    this.recSize = 0;
    this.recLines = 0;
  }
}

/**
 * Parse a whole CSV text held in memory (a header line, an accounts file, an evaluation set): the
 * same record parser as the streaming import, so there is one CSV dialect in the house. A UTF-8
 * BOM is dropped; line ends inside quoted fields come out as "\n".
 */
export function parseCsvText(text: string, delim = sniffDelimiter(text.split('\n', 1)[0] ?? '')): string[][] {
  const p = new CsvRecordParser(delim, Number.MAX_SAFE_INTEGER);
  const out: CsvRecord[] = [];
  const bom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // old Mac line ends (a bare CR), only when the text has no LF at all, as openInput reads them
  const body = bom.includes('\n') ? bom : bom.replaceAll('\r', '\n');
  body.split('\n').forEach((l, i) => {
    p.pushLine(i + 1, l.endsWith('\r') ? l.slice(0, -1) : l, l.length, null, out);
  });
  p.end(out);
  return out.filter((r) => r.fields).map((r) => r.fields!);
}

/** Rows as objects keyed by the header row; missing trailing fields become ''. */
export function csvObjects(rows: readonly string[][]): Record<string, string>[] {
  const [header, ...body] = rows;
  if (!header) return [];
  return body.map((r) => {
    const o: Record<string, string> = {};
    for (let i = 0; i < header.length; i++) o[header[i]!] = r[i] ?? '';
    return o;
  });
}

/** Values that name an AI outcome whatever the column is called. */
const AI_OUTCOMES: Record<string, ResolutionState> = {
  confirmed_resolution: 'confirmed_resolution',
  assumed_resolution: 'assumed_resolution',
  ai_resolved: 'assumed_resolution',
  resolved_by_ai: 'assumed_resolution',
  auto_resolved: 'assumed_resolution',
  bot_resolved: 'assumed_resolution',
  automated: 'assumed_resolution',
  human_handoff: 'escalated',
  agent_handoff: 'escalated',
  transferred_to_agent: 'escalated',
  routed_to_team: 'escalated',
  routed_to_agent: 'escalated',
  procedure_handoff: 'procedure_handoff',
  negative_feedback: 'negative_feedback',
};

/**
 * Plain words that name an AI outcome only in a column about the AI agent (outcome, ai resolution
 * state…) or beside an AI column saying it took part: in a help desk's own status column
 * ("Resolved" in Freshdesk or HubSpot, "Escalated" in Salesforce) they are the team's work.
 */
const WORD_OUTCOMES: Record<string, ResolutionState> = {
  confirmed: 'confirmed_resolution',
  resolved_confirmed: 'confirmed_resolution',
  assumed: 'assumed_resolution',
  resolved: 'assumed_resolution',
  escalated: 'escalated',
  escalation: 'escalated',
  handoff: 'escalated',
  handed_off: 'escalated',
  handover: 'escalated',
  transferred: 'escalated',
  abandoned: 'abandoned',
};

/** Text headers whose cell is a cut of a message (a preview), not a message of its own. */
const CUT_TEXT_HEADERS = new Set(['preview', 'extract']);

/** The first cell of a row of sums or means a spreadsheet adds below the data, in the export languages. */
const TOTALS_ROW =
  /^(?:grand\s+)?(?:totals?|sum|average|avg|mean|summe|gesamt|insgesamt|durchschnitt|mittelwert|somme|moyenne|totale|media|promedio|totaal|gemiddelde)\b/i;

/** The first line of the footer Salesforce writes below a report's rows (then "Generated By:…", the company). */
const REPORT_FOOTER =
  /^(?:Confidential Information - Do Not Distribute|Copyright \(c\) \d{4}(?:-\d{4})? salesforce\.com|Generated By:)/i;

/**
 * An id as Excel writes a number of 12 digits or more back, 2.15469E+14, when its digits were lost
 * (fewer written than the number has); "1.23456789012E+11" keeps them all, and "1E+3" is no Excel number.
 */
function excelRoundedId(id: string): boolean {
  const m = /^(\d)(?:[.,](\d+))?E\+(\d{1,3})$/i.exec(id);
  if (!m) return false;
  const exponent = Number(m[3]);
  return exponent >= 11 && 1 + (m[2]?.length ?? 0) < exponent + 1;
}

/** Outcome headers that are a help desk's own ticket status, not the AI agent's outcome. */
const HELPDESK_STATUS_HEADERS = new Set(['status', 'state', 'statut', 'estado', 'stato']);
/**
 * …and a "Resolution" or "Result" beside such a status is the team's account of the ticket too
 * (Zoho Desk's free text: its one-word "Resolved" / "Escalated" were read as the AI agent's outcomes
 * in 15 of 25 tickets of a review's export with no AI column); alone, it may be the AI agent's.
 */
const RESOLUTION_HEADERS = new Set(['resolution', 'result']);

const CSV_CHANNELS: Record<string, Channel> = {
  chat: 'chat',
  live_chat: 'chat',
  livechat: 'chat',
  web_chat: 'chat',
  webchat: 'chat',
  messaging: 'chat',
  widget: 'chat',
  // Zendesk's "Via": its Web Widget and mobile SDK carry chat and messaging, its own bot answers there
  web_widget: 'chat',
  answer_bot_for_web_widget: 'chat',
  mobile: 'chat',
  sunshine_conversations_api: 'chat',
  in_app: 'chat',
  conversation: 'chat',
  native_messaging: 'chat',
  mobile_sdk: 'chat',
  email: 'email',
  e_mail: 'email',
  mail: 'email',
  web: 'email',
  web_form: 'email',
  form: 'email',
  phone: 'phone',
  voice: 'phone',
  call: 'phone',
  phone_call: 'phone',
  phone_call_incoming: 'phone',
  phone_call_outgoing: 'phone',
  social: 'social',
  twitter: 'social',
  x: 'social',
  facebook: 'social',
  messenger: 'messenger',
  facebook_messenger: 'messenger',
  whatsapp: 'messenger',
  instagram: 'messenger',
  instagram_direct_message: 'messenger',
  instagram_dm: 'messenger',
  whatsapp_business: 'messenger',
  telegram: 'messenger',
  line: 'messenger',
  sms: 'messenger',
  text_message: 'messenger',
  portal: 'email',
  help_center: 'email',
  contact_form: 'email',
  facebook_post: 'social',
  instagram_comment: 'social',
  facebook_comment: 'social',
  twitter_dm: 'messenger',
  chatbot: 'chat',
  bot: 'chat',
  other: 'other',
  api: 'other',
  // Freshdesk's sources
  feedback_widget: 'email',
  outbound_email: 'email',
  // Zoho Desk's community forums, Gorgias's public mentions and ad comments: posts others read
  forum: 'social',
  forums: 'social',
  facebook_mention: 'social',
  instagram_mention: 'social',
  instagram_ad_comment: 'social',
  twitter_direct_message: 'messenger',
  // Gorgias's phone integration
  aircall: 'phone',
  // Gladly's channels (FB_MESSENGER, INSTAGRAM_DIRECT, PHONE_CALL, VOICEMAIL…)
  fb_messenger: 'messenger',
  instagram_direct: 'messenger',
  voicemail: 'phone',
  viber: 'messenger',
  wechat: 'messenger',
  // German, French, Spanish, Dutch, Italian, Portuguese
  telefon: 'phone',
  telephone: 'phone',
  telefono: 'phone',
  telefoon: 'phone',
  anruf: 'phone',
  correo: 'email',
  correo_electronico: 'email',
  courriel: 'email',
  posta_elettronica: 'email',
  webformular: 'email',
  kontaktformular: 'email',
  formulaire: 'email',
  formulaire_de_contact: 'email',
  formulario: 'email',
  webformulier: 'email',
  soziale_medien: 'social',
  reseaux_sociaux: 'social',
  redes_sociales: 'social',
};

/**
 * Freshdesk's API writes a ticket's `source` as a number (a review's 25 tickets all read as channel
 * "other"): 1 e-mail, 2 portal, 3 phone, 5 Twitter, 6 Facebook, 7 chat, 9 feedback widget, 10 outbound e-mail.
 */
const FRESHDESK_SOURCES: Record<string, Channel> = {
  '1': 'email',
  '2': 'email',
  '3': 'phone',
  '5': 'social',
  '6': 'social',
  '7': 'chat',
  '9': 'email',
  '10': 'email',
};

/** The values of a "Type" column read as a channel: the channels' own names, nothing else. */
const TYPE_CHANNEL_WORDS: ReadonlySet<string> = new Set([
  'email',
  'e_mail',
  'chat',
  'live_chat',
  'phone',
  'voice',
  'call',
  'sms',
  'whatsapp',
  'messenger',
  'social',
]);

/**
 * A channel cell → channel, or undefined: the word itself; a list of them (Kustomer's
 * "Channels": "chat, email") → its first known one; Crisp's origin URN
 * ("urn:crisp.im:whatsapp:0") → the network it names.
 */
function csvChannel(raw: string): Channel | undefined {
  // "Phone call (incoming)" → phone_call_incoming
  const key = slug(raw.replace(/[()]/g, ''));
  const direct = CSV_CHANNELS[key];
  if (direct) return direct;
  const urn = /^urn:[a-z0-9.-]+:([a-z_-]+)(?::\d+)?$/i.exec(raw.trim());
  if (urn) return CSV_CHANNELS[slug(urn[1]!)];
  if (/[,;|]/.test(raw))
    for (const part of raw.split(/[,;|]/)) {
      const ch = CSV_CHANNELS[slug(part)];
      if (ch) return ch;
    }
  return channelByWord(key);
}

/**
 * The words that name a channel on their own, whatever words are around them: not "web", "mobile",
 * "line", "form", "conversation" or "bot", which name a channel only as a whole label ("Mobile
 * phone" read as chat, "Support line" as messenger, "Web (live chat)" as e-mail; a diff review).
 */
const CHANNEL_WORDS: Record<string, Channel> = {
  phone: 'phone',
  call: 'phone',
  voice: 'phone',
  telephone: 'phone',
  telefon: 'phone',
  voicemail: 'phone',
  chat: 'chat',
  livechat: 'chat',
  webchat: 'chat',
  email: 'email',
  e_mail: 'email',
  mail: 'email',
  courriel: 'email',
  messaging: 'chat',
  chatbot: 'chat',
  sms: 'messenger',
  whatsapp: 'messenger',
  messenger: 'messenger',
  telegram: 'messenger',
  social: 'social',
  twitter: 'social',
  x: 'social',
  facebook: 'social',
  instagram: 'messenger',
  forum: 'social',
};

/**
 * A channel named among other words ("Phone (inbound)", "Inbound call", "Social media", "X
 * (Twitter)", "Chat en direct" all read as "other" in an import review): its first channel word.
 */
export function channelByWord(key: string): Channel | undefined {
  const words = key.replace(/e_mail/g, 'email').split('_');
  // two words a label names whole first ("Facebook Messenger (inbound)", "In-app messaging",
  // "Web form submission"), then a channel word alone
  for (let i = 0; i + 1 < words.length; i++) {
    const ch = CSV_CHANNELS[`${words[i]}_${words[i + 1]}`];
    if (ch && ch !== 'other') return ch;
  }
  for (const word of words) {
    const ch = CHANNEL_WORDS[word];
    if (ch) return ch;
  }
  return undefined;
}

/**
 * Survey answers in words, as help desks export them (Zendesk's good/bad, Freshdesk's three-point
 * Awesome / Just Okay / Not Good and its five- and seven-point Extremely Happy … Extremely
 * Unhappy: the middle three as 4, 3, 2 and the outer ones as 5 and 1, so a five-point survey reads
 * as it is written; Intercom's Great is 4, below Amazing).
 */
const WORD_RATINGS: Record<string, number> = {
  good: 5,
  positive: 5,
  satisfied: 5,
  very_satisfied: 5,
  extremely_satisfied: 5,
  excellent: 5,
  awesome: 5,
  amazing: 5,
  very_good: 5,
  extremely_happy: 5,
  very_happy: 5,
  happy: 4,
  // Help Scout's top answer (Great / Okay / Not Good); Intercom's own scale, where it is 4, is
  // read from its rating column (INTERCOM_RATING_WORDS)
  great: 5,
  somewhat_satisfied: 4,
  mostly_satisfied: 4,
  neutral: 3,
  okay: 3,
  ok: 3,
  just_okay: 3,
  average: 3,
  fair: 3,
  neither_satisfied_nor_dissatisfied: 3,
  neither_satisfied_nor_unsatisfied: 3,
  // LiveChat's chat rating (good / bad)
  rated_good: 5,
  rated_bad: 1,
  somewhat_dissatisfied: 2,
  somewhat_unsatisfied: 2,
  unhappy: 2,
  not_satisfied: 2,
  not_good: 1,
  very_unhappy: 1,
  extremely_unhappy: 1,
  very_bad: 1,
  terrible: 1,
  bad: 1,
  negative: 1,
  unsatisfied: 1,
  dissatisfied: 1,
  very_dissatisfied: 1,
  extremely_dissatisfied: 1,
  very_unsatisfied: 1,
  poor: 1,
  // German, French, Spanish, Dutch, Italian, Portuguese survey answers
  sehr_zufrieden: 5,
  zufrieden: 4,
  unzufrieden: 2,
  sehr_unzufrieden: 1,
  tres_satisfait: 5,
  satisfait: 4,
  neutre: 3,
  insatisfait: 2,
  tres_insatisfait: 1,
  muy_satisfecho: 5,
  satisfecho: 4,
  insatisfecho: 2,
  muy_insatisfecho: 1,
  zeer_tevreden: 5,
  tevreden: 4,
  ontevreden: 2,
  zeer_ontevreden: 1,
  molto_soddisfatto: 5,
  soddisfatto: 4,
  insoddisfatto: 2,
  molto_insoddisfatto: 1,
  muito_satisfeito: 5,
  satisfeito: 4,
  insatisfeito: 2,
  muito_insatisfeito: 1,
};

/** Answers that say the customer did not rate (Zendesk's offered / unoffered, LiveChat's "not rated"): no rating, no note. */
const NOT_RATED = new Set(['offered', 'unoffered', 'not_rated', 'unrated']);

/**
 * A CSV rating 1–5: a number ("4", "4.0", "4,0" with a decimal comma), a number with its label
 * ("5 - Very satisfied", "4 stars", "4/5"), or a survey answer in words; else null. `intercom`:
 * the column is Intercom's "Conversation rating", whose "Bad" is 2 of 5 (a two-point good/bad
 * survey's bad is 1).
 */
export function csvRating(raw: string, intercom = false): number | null {
  const v = raw.trim();
  const word = (intercom ? INTERCOM_RATING_WORDS[slug(v)] : undefined) ?? WORD_RATINGS[slug(v)];
  if (word !== undefined) return word;
  // "4/5", "4 out of 5", "4 von 5", "4 sur 5", "4 de 5", "4 su 5", "4 van 5"; "4 stars", "4 Sterne", "4 étoiles"…
  const lead =
    /^([1-5])(?:[.,]0+)?(?:\s*(?:(?:\/|out\s+of|von|sur|de|su|van)\s*5|[-–:]\s*\D.*|stars?|sterne?|[ée]toiles?|estrellas?|stelle|sterren|estrelas?|\*+|★+))?$/i.exec(
      v,
    );
  if (lead) return Number(lead[1]);
  return rating1to5(v);
}

/** Excel's day numbers (days since 1899-12-30) of 2000-01-01 … 2099-12-31: a plausible export date */
// the fraction after a point, or a comma as a German or French Excel writes it (46239,08941)
const EXCEL_SERIAL = /^(\d{5})([.,]\d+)?$/;
const EXCEL_FIRST = 36526;
const EXCEL_LAST = 73050;
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/**
 * A date cell that Excel left as its serial number (`46329.385`: a day number and the time as a
 * fraction of the day) as `YYYY-MM-DD HH:MM:SS`, to the second, so the header's zone applies as
 * to any time without one; any other cell as is.
 */
export function excelSerialDate(cell: string): string {
  const m = EXCEL_SERIAL.exec(cell.trim());
  if (!m || +m[1]! < EXCEL_FIRST || +m[1]! > EXCEL_LAST) return cell;
  const ms = EXCEL_EPOCH_MS + Math.round(Number(cell.trim().replace(',', '.')) * 86_400) * 1000;
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

// a time of day that ends the cell, after the date (not the `02:00` of a `+02:00` offset)
const CLOCK_AT_END = /(?:^|[\sTt])\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[ap]\.?m\.?)?$/i;

/** "+02:00" from a header such as "Created at (UTC+02:00)", "Date (GMT-5)" or "Time (+0530)" */
/** A date quoted in a reject reason, cut with an ellipsis past 40 characters. */
const quoteDate = (s: string) => (s.length > 40 ? `"${s.slice(0, 39)}…"` : JSON.stringify(s));

/**
 * Why a created time was not read: a zone written as a name Cockpit does not know (the rest reads)
 * is named, with what to write instead; otherwise the forms it reads.
 */
function invalidDateReason(raw: string, order: DayOrder | null): string {
  const zone = /^(.*\d)\s+([A-Za-z]{2,5})$/.exec(raw);
  if (zone && parseDateTime(zone[1]!, order) !== null)
    return `time zone "${zone[2]}" in ${quoteDate(raw)} not understood: write an offset such as -07:00 or +05:30 (or UTC)`;
  return `invalid date ${quoteDate(raw)} (expected ISO 8601, YYYY-MM-DD HH:MM(:SS), 31/03/2026, 4 Mar 2026, or unix seconds/ms)`;
}

function zoneOfHeader(header: string): string | null {
  // "Created at (CET)": a zone's name, as the cells may write it (a review's CET times were read as UTC)
  const named = /\(([A-Za-z]{2,5})\)/.exec(header);
  if (named) return knownZoneAbbreviation(named[1]!);
  const m = /\((?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?\)/i.exec(header);
  if (!m) return null;
  const h = Number(m[2]);
  const min = Number(m[3] ?? 0);
  if (h > 14 || min > 59) return null;
  return `${m[1]}${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

/**
 * The scale a rating header names, "CSAT (1-10)", "Score (0–10)", or null: without it a 10-point
 * survey's 4 and 2 were read as 4 and 2 of 5 and its 9 dropped. Five-point scales need no mapping.
 */
function scaleOfHeader(header: string): [number, number] | null {
  const m = /\(\s*(0|1)\s*(?:-|–|to)\s*(\d{1,3})\s*\)/i.exec(header);
  if (!m) return null;
  const lo = Number(m[1]);
  const hi = Number(m[2]);
  return hi > lo + 1 && !(lo === 1 && hi === 5) ? [lo, hi] : null;
}

/** A number on [lo, hi] onto 1–5, to the nearest point; null for anything else. */
function onFivePoints(cell: string, [lo, hi]: [number, number]): number | null {
  const v = Number(cell.trim().replace(',', '.'));
  if (!Number.isFinite(v) || v < lo || v > hi) return null;
  return Math.round(1 + ((v - lo) * 4) / (hi - lo));
}

const TRUE = new Set(['true', 'yes', 'y', '1', 't']);
const FALSE = new Set(['false', 'no', 'n', '0', 'f', '']);

/**
 * A yes/no cell, or a count of it ("2", and "1.0" as pandas and BI tools write counts: more than
 * zero is yes); null when it is neither.
 */
/** Headers of the visibility field whose yes means the customer saw the message ("Public: false" is a note). */
const SHOWN_WHEN_YES = new Set(['public', 'ispublic', 'visibletocustomer', 'customervisible']);
/** …and whose yes means an internal note. */
const HIDDEN_WHEN_YES = new Set(['internal', 'isinternal', 'internalnote', 'isnote', 'private', 'isprivate']);
/** Values of a message type or visibility column that name an internal note (letters only). */
const NOTE_VALUES = new Set([
  'note',
  'notes',
  'internal',
  'internalnote',
  'privatenote',
  'private',
  'noteandreopen',
  'adminnote',
  'teamnote',
  'whisper',
]);

/**
 * Whether a per-message row is an internal note, from its visibility cell as its header reads it;
 * null when the cell does not say (then the row is a message, as before the column existed).
 */
export function isInternalNote(header: string, cell: string): boolean | null {
  const h = normHeader(header);
  const v = cell.trim();
  if (!v) return null;
  if (SHOWN_WHEN_YES.has(h)) {
    const yes = yesOrCount(v);
    return yes === null ? null : !yes;
  }
  if (HIDDEN_WHEN_YES.has(h)) return yesOrCount(v);
  const word = v.toLowerCase().replace(/[^a-z]/g, '');
  if (NOTE_VALUES.has(word)) return true;
  if (word === 'public' || word === 'publiccomment' || word === 'reply' || word === 'message') return false;
  return null;
}

function yesOrCount(raw: string): boolean | null {
  const v = raw.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  if (/^\d+(?:\.\d+)?$/.test(v)) return Number(v) > 0;
  return null;
}
const slug = (s: string) => withoutAccents(s.trim().toLowerCase()).replace(/[\s\-/]+/g, '_');

/**
 * Why a CSV with this header cannot be imported (no time or no text column), or null. With
 * `undated`, a file without a time column is importable (the estimate dates it itself).
 */
export function missingCsvColumns(
  m: Pick<CsvMapping, 'columns' | 'headers' | 'textInMessages'>,
  { undated = false }: { undated?: boolean } = {},
): string | null {
  const c = m.columns;
  const missing = [
    c.createdAt === undefined && !undated ? 'created time (created_at, created, date, timestamp…)' : null,
    c.text === undefined && c.subject === undefined && m.textInMessages === undefined
      ? 'text (text, body, message, description, subject…)'
      : null,
  ].filter(Boolean);
  if (missing.length === 0) return null;
  const norm = new Set(m.headers.map(normHeader));
  const known =
    c.text === undefined && c.subject === undefined
      ? TEXTLESS_EXPORTS.find(([headers]) => headers.every((h) => norm.has(h)))
      : undefined;
  const columns = m.headers.map((h) => JSON.stringify(h.trim())).join(', ');
  return `the CSV has no column for ${missing.join(' and ')}${known ? `: ${known[1]}` : ''}; found columns: ${
    columns.length > 300 ? `${columns.slice(0, 300)}…` : columns
  }`;
}

/**
 * Exports known to hold no customer text (a report of conversation metadata), by headers only they
 * have: the refusal says which export it is and what to export instead.
 */
const TEXTLESS_EXPORTS: [string[], string][] = [
  [
    ['conversationlink', 'initiatortypecreated'],
    "this is Gladly's Conversation Export, which lists conversations (times, status, agents) without what the customers wrote — export the conversations' messages instead (Gladly's conversation items, through its API)",
  ],
];

export class CsvMapper {
  readonly needsAiColumn: boolean;
  /** one row per message (an author column beside the conversation id): rows are grouped by id */
  readonly perMessage: boolean;
  /** data rows mapped so far (names a row of a file with neither id nor time) */
  private rowsSeen = 0;
  /** a message file's last id, for the rows that leave it to the one above */
  private lastId = '';
  /** the outcome column is a help desk's own status: plain words need an AI column saying yes */
  private readonly helpdeskStatus: boolean;
  /** the rating column is Intercom's "Conversation rating": its words are Intercom's five */
  private readonly intercomRating: boolean;
  /** a "source" column, which Freshdesk's API fills with numeric codes (FRESHDESK_SOURCES) */
  private readonly channelCodes: boolean;
  /** a rating header that names its scale, "CSAT (1-10)": its cells are read onto 1–5 */
  private readonly ratingScale: [number, number] | null;
  constructor(
    private readonly m: CsvMapping,
    private readonly accountId: string,
    private readonly tally: Tally,
    private readonly window?: TimeWindow,
    /** which comes first in the file's numeric dates (03/04/2026), when its first rows say */
    private readonly dayOrder: DayOrder | null = null,
    /** the time every row gets when the file has no time column (ImportOptions.undatedAt) */
    private readonly undatedAt?: string,
    /** what the tally's notes call the file ("CSV", "JSON records") */
    private readonly source = 'CSV',
  ) {
    const c = m.columns;
    const missing = missingCsvColumns(m, { undated: undatedAt !== undefined });
    if (missing) throw new ImportError('MISSING_COLUMNS', missing, 1);
    this.needsAiColumn = c.aiInvolved === undefined;
    this.perMessage = c.author !== undefined && c.id !== undefined;
    const outcomeHeader = c.outcome !== undefined ? normHeader(m.headers[c.outcome]!) : '';
    this.helpdeskStatus =
      HELPDESK_STATUS_HEADERS.has(outcomeHeader) ||
      (RESOLUTION_HEADERS.has(outcomeHeader) &&
        m.headers.some((h) => HELPDESK_STATUS_HEADERS.has(normHeader(h))));
    this.intercomRating = c.rating !== undefined && normHeader(m.headers[c.rating]!) === 'conversationrating';
    this.ratingScale = c.rating !== undefined ? scaleOfHeader(m.headers[c.rating]!) : null;
    if (this.ratingScale)
      tally.add(
        `${source}: ratings read on the header's ${this.ratingScale[0]}–${this.ratingScale[1]} scale, onto 1–5`,
      );
    this.headerZone = c.createdAt !== undefined ? zoneOfHeader(m.headers[c.createdAt]!) : null;
    this.textIsCut = c.text !== undefined && CUT_TEXT_HEADERS.has(normHeader(m.headers[c.text]!));
    this.channelFromType = c.channel !== undefined && normHeader(m.headers[c.channel]!) === 'type';
    this.channelCodes = c.channel !== undefined && normHeader(m.headers[c.channel]!) === 'source';
    // a chat tool's list of chats (LiveChat's "Chat ID, Chat start date, Chat transcript") names no
    // channel: every row is a chat
    this.chatList =
      c.channel === undefined &&
      [c.id, c.createdAt, c.text].some(
        (i) => i !== undefined && normHeader(m.headers[i]!).startsWith('chat'),
      );
  }

  /** the zone the time column's header names ("Created at (UTC+02:00)"), for times that name none */
  private readonly headerZone: string | null;

  /** the text column holds a cut of a message (a preview, an extract), not a message of its own */
  private readonly textIsCut: boolean;
  /** the channel is read from a "Type" column, which often names something else: no note for those */
  private readonly channelFromType: boolean;
  /** a file of chats with no channel column: each row's channel is chat */
  private readonly chatList: boolean;
  /** a report footer was met: the one-cell rows after it are footer too */
  private inFooter = false;
  /**
   * Under the header repeated in another column order (a second export pasted below the first,
   * its columns arranged otherwise): for each column of the first header, where it is in the rows
   * now. Read by the first order, 40 conversations became 25 with ids and ratings swapped.
   */
  private layout: number[] | null = null;
  private headerNames: Set<string> | null = null;

  /**
   * A row's cells in the first header's order; null for the header itself repeated in another
   * order, whose order the rows under it then follow (the header repeated in its own order sets it
   * back, and is skipped by `map`).
   */
  arrange(fields: string[]): string[] | null {
    const headers = this.m.headers;
    const key = (f: string) => f.trim().toLowerCase();
    // (a row's first cell is one of the header's names before the whole row is compared: per row, a
    // set look-up, not a map of its cells)
    this.headerNames ??= new Set(headers.map(key));
    if (
      this.source === 'CSV' &&
      fields.length === headers.length &&
      this.headerNames.has(key(fields[0] ?? ''))
    ) {
      const names = headers.map(key);
      const at = new Map(fields.map((f, i) => [key(f), i]));
      if (at.size === names.length && new Set(names).size === names.length && names.every((h) => at.has(h))) {
        const layout = names.map((h) => at.get(h)!);
        const same = layout.every((k, i) => k === i);
        this.layout = same ? null : layout;
        if (!same) return null;
        return fields;
      }
    }
    return this.layout ? this.layout.map((k) => fields[k] ?? '') : fields;
  }

  /**
   * A chat transcript in the text cell of a one-row-per-conversation file ("[10:00:02] Dina: Hi…"
   * a line each, as a chat tool's "Chat transcript" column holds it) as its messages by speaker,
   * the subject before the customer's first; null when the cell is not one (or names no customer).
   */
  private transcript(subject: string, body: string, at: string): Message[] | null {
    if (this.perMessage || !body.includes(':')) return null;
    const turns = transcriptMessages(body, at);
    if (!turns?.some((t) => t.role === 'customer')) return null;
    this.tally.add(`${this.source}: chat transcripts split into messages by speaker`);
    return withNestedMessages(subject, '', turns, at);
  }

  /** the author cell of a row (per-message CSVs) */
  author(fields: string[]): string {
    const i = this.m.columns.author;
    return i === undefined ? '' : (fields[i] ?? '');
  }

  /** the subject cell of a row as text (per-message CSVs put it before a one-row conversation's text) */
  subject(fields: string[]): string {
    const i = this.m.columns.subject;
    return i === undefined ? '' : csvText(fields[i] ?? '');
  }

  /** `nested`: the messages of a JSON record's own list (records with a `messages` list…) */
  map(fields: string[], line: number, nested?: Message[]): MapResult {
    const m = this.m;
    const n = m.headers.length;
    // a row of delimiters only (",,,,"): what spreadsheets write for an empty row, not a record
    if (fields.every((f) => f.trim() === '') && !nested?.length) return { kind: 'skip', reason: 'empty row' };
    if (fields.length !== n) {
      // Salesforce's report export ends with its footer, one cell a line: skipped, not rejected (its
      // 4 lines as rejects failed the pipeline's 1% reject rule for any report under 400 cases)
      if (fields.length === 1 && (this.inFooter || REPORT_FOOTER.test(fields[0]!.trim()))) {
        this.inFooter = true;
        return {
          kind: 'skip',
          reason: 'report footer (Salesforce: confidentiality, copyright, "Generated By")',
        };
      }
      // a header with empty columns at its end (Excel keeps a formatted column's cell) over rows
      // without them: the missing cells are those empty columns' own
      const short = fields.length < n && m.headers.slice(fields.length).some((h) => h.trim() !== '');
      if (short || fields.slice(n).some((f) => f.trim() !== ''))
        return { kind: 'reject', reason: `expected ${n} columns, found ${fields.length}`, misshapen: true };
    }
    // the header again (two exports pasted one after the other): not a record, and said (a CSV's
    // only: a JSON record's fields are its values, and an undated log's may all be empty)
    if (
      this.source === 'CSV' &&
      fields.length === n &&
      fields.every((f, i) => f.trim().toLowerCase() === m.headers[i]!.trim().toLowerCase())
    )
      return { kind: 'skip', reason: 'the header row repeated (two exports pasted together?)' };
    const c = m.columns;
    const get = (f: CsvField) => {
      const i = c[f];
      return i === undefined ? '' : (fields[i] ?? '');
    };
    // a spreadsheet's totals or averages under the rows ("Total;;;;120;;3,23"): no conversation
    // (only where a time column is: a list of requests without one may open "Total charged…")
    const firstFilled = fields.findIndex((f) => f.trim() !== '');
    if (
      m.columns.createdAt !== undefined &&
      !get('createdAt').trim() &&
      // a label, not a ticket's words ("Total charged twice"), and no id of its own
      firstFilled !== m.columns.text &&
      firstFilled !== m.columns.subject &&
      (m.columns.id === undefined || firstFilled === m.columns.id || !get('id').trim()) &&
      TOTALS_ROW.test((fields[firstFilled] ?? '').trim())
    )
      return { kind: 'skip', reason: 'a totals row under the data ("Total", "Average"…)' };
    let id = get('id').trim();
    let filledDown = false;
    const above = this.lastId;
    this.lastId = '';
    this.rowsSeen++;
    // Without an id column the row's content names it: the same row in tomorrow's export is the
    // same conversation (a line number would make row 2 of every file one conversation). Without
    // a time either, equal rows are separate requests ("where is my order" asked 40 times): the
    // row's place in the file names it (such a file is only estimated, never appended to).
    if (c.id === undefined)
      id =
        c.createdAt === undefined
          ? `row-${this.rowsSeen}`
          : `row-${createHash('sha256').update(fields.join('\u001f')).digest('hex').slice(0, 16)}`;
    // one row per message with the id on a conversation's first row only (merged cells, or a
    // report grouped by conversation): the rows below are that conversation's — the row above
    // taken (lastId), so rows under a rejected one are rejected with it
    else if (!id && this.perMessage && above) {
      id = above;
      filledDown = true;
      // a message of the conversation above: whatever becomes of this row, the rows below are its too
      this.lastId = above;
    } else if (!id) return { kind: 'reject', reason: 'empty id' };
    // Excel shows a long numeric id as 2.15469E+14 and saves it so: distinct conversations then share
    // one id (a review's 27 became one of 71 messages), so the row is refused with the fix
    else if (excelRoundedId(id))
      return {
        kind: 'reject',
        reason: `id ${JSON.stringify(id)} is a number Excel rounded to scientific notation, so different conversations share it: export the file again without opening it in Excel, or format the id column as text`,
      };
    const cell = excelSerialDate(get('createdAt'));
    // a time of day with no zone after it is in the header's zone, when the header names one
    const zoned = this.headerZone !== null && CLOCK_AT_END.test(cell.trim());
    const rawDate = zoned ? `${cell.trim()} ${this.headerZone}` : cell;
    // counted per row it applies to: said once in the constructor, every file read "(1×)"
    if (zoned) this.tally.add(`${this.source}: times without a zone read in the header's ${this.headerZone}`);
    const createdAt =
      c.createdAt === undefined ? (this.undatedAt ?? null) : parseDateTime(rawDate, this.dayOrder);
    if (!createdAt)
      return {
        kind: 'reject',
        reason: !rawDate.trim()
          ? 'empty created time'
          : this.dayOrder === null && isAmbiguousDate(withFullYear(rawDate.trim()))
            ? `ambiguous date ${JSON.stringify(rawDate.trim()).slice(0, 40)}: day or month first? The file's first rows have no date past the 12th to tell; write YYYY-MM-DD`
            : invalidDateReason(rawDate.trim(), this.dayOrder),
      };
    const subject = csvText(get('subject'));
    // an internal note keeps its row (the conversation's fields on it count) but not its text: the
    // customer never saw it, and read as an agent's reply it would be a turn the customer waited for
    const note =
      this.perMessage &&
      c.visibility !== undefined &&
      isInternalNote(m.headers[c.visibility]!, get('visibility'));
    if (note) this.tally.add(`${this.source}: internal notes left out (the customer never saw them)`);
    // a preview beside the record's own list of messages is a cut of one of them (Help Scout's is
    // its latest thread's, often the team's reply)
    const body = note || (this.textIsCut && nested?.length) ? '' : csvText(get('text'));
    // a subject repeated on every message row would be read as part of each message
    const text = this.perMessage && body ? body : withSubject(subject, body);

    let aiColumn: boolean | null = null;
    if (c.aiInvolved !== undefined) {
      const v = get('aiInvolved').trim().toLowerCase();
      aiColumn = yesOrCount(v);
      if (aiColumn === null)
        this.tally.add(
          `${this.source}: AI-involved value ${JSON.stringify(v).slice(0, 20)} not understood → inferred from outcome`,
        );
    }
    let state: ResolutionState | null = null;
    const outcome = get('outcome').trim();
    if (outcome) {
      const key = slug(outcome);
      const s =
        AI_OUTCOMES[key] ??
        (this.helpdeskStatus && aiColumn !== true
          ? undefined
          : (WORD_OUTCOMES[key] ?? (key === 'pending' ? 'pending' : undefined)));
      if (s) state = s;
      else
        this.tally.add(
          this.helpdeskStatus && WORD_OUTCOMES[key]
            ? `${this.source}: help-desk status ${JSON.stringify(outcome).slice(0, 30)} without an AI column is the team's, not the AI agent's: no AI resolution state read`
            : /^\d{1,3}$/.test(outcome)
              ? // Freshdesk's status codes (2 open … 5 closed): the ticket's state, nothing about the AI agent
                `${this.source}: numeric status codes read as the help desk's ticket states, not AI outcomes`
              : `${this.source}: outcome ${JSON.stringify(outcome).slice(0, 30)} is not an AI resolution state: none read`,
        );
    }
    const messages: Message[] = nested
      ? withNestedMessages(subject, body, nested, createdAt)
      : (this.transcript(subject, body, createdAt) ??
        (text ? [{ role: 'customer', text, at: createdAt }] : []));
    // without a column that says, the AI agent took part where a message is written by it (a
    // record's own list, a transcript's bot lines)
    const aiInvolved = aiColumn ?? (state !== null || messages.some((msg) => msg.role === 'ai'));
    if (!aiInvolved && state !== null) {
      this.tally.add(`${this.source}: outcome given but AI not involved → outcome ignored`);
      state = null;
    }

    let csat: number | null = null;
    const r = get('rating').trim();
    if (r) {
      csat = this.ratingScale ? onFivePoints(r, this.ratingScale) : csvRating(r, this.intercomRating);
      if (csat === null && !NOT_RATED.has(slug(r)))
        this.tally.add(`${this.source}: rating ${JSON.stringify(r).slice(0, 48)} is not 1–5 → no rating`);
    }

    let channel: Channel = this.chatList ? 'chat' : 'other';
    const ch = get('channel').trim();
    if (ch) {
      const mapped = (this.channelCodes ? FRESHDESK_SOURCES[ch] : undefined) ?? csvChannel(ch);
      // a Type column is read only where it plainly names a channel (Help Scout's email / chat /
      // phone), not where a ticket type happens to be a channel word ("Bot", "Web", "Form")
      if (mapped && (!this.channelFromType || TYPE_CHANNEL_WORDS.has(slug(ch)))) {
        channel = mapped;
        // read by one of its words, not as a label known whole: said, as an unknown one is
        if (!CSV_CHANNELS[slug(ch.replace(/[()]/g, ''))] && !/[,;|]|^urn:/i.test(ch) && !this.channelCodes)
          this.tally.add(
            `${this.source}: channel ${JSON.stringify(ch).slice(0, 30)} → "${mapped}" (by its word)`,
          );
      } else if (!this.channelFromType)
        this.tally.add(`${this.source}: channel ${JSON.stringify(ch).slice(0, 30)} → "other"`);
    }
    const topic = get('topic').trim() || null;
    const tagText = get('tags').trim();
    const tags = tagText
      ? tagText
          .split(/[,;|]/)
          .map((t) => t.trim())
          .filter(Boolean)
      : [];
    const ro = get('reopened');
    const reopenedCell = yesOrCount(ro);
    if (reopenedCell === null)
      this.tally.add(
        `${this.source}: reopened value ${JSON.stringify(ro.trim()).slice(0, 20)} not understood → not reopened`,
      );
    const reopened = reopenedCell === true;

    const conv: Conversation = {
      id,
      accountId: this.accountId,
      createdAt,
      channel,
      aiInvolved,
      aiResolutionState: state,
      reopened,
      csat,
      topic,
      tags,
      messages,
    };
    const res = finalize(conv, outcome ? { sourceStatus: outcome } : undefined, this.window);
    // what the row's own AI cell said, for a message export's grouping (csv-messages.ts)
    if (res.kind === 'ok' && aiColumn !== null && get('aiInvolved').trim() !== '') res.aiSaid = aiColumn;
    if (res.kind === 'ok' && c.id !== undefined) {
      this.lastId = id;
      if (filledDown)
        this.tally.add(`${this.source}: message rows without an id read as the conversation above's`);
    }
    return res;
  }
}
