/**
 * The pipeline (SPEC §6): canonical export bundle → serving database, built in a new file and
 * renamed over the old one only when everything succeeded; an append (`--append`) updates the
 * database in one transaction instead, committed only when everything succeeded.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import Database from 'better-sqlite3';
import { appendAudit, auditLogPath, osUser } from '../../server/audit.ts';
import {
  beginAppend,
  conversationStore,
  finishAppend,
  finishBuildFile,
  type Placement,
  prepareAppendFile,
  prepareBuildFile,
  type StoredLeafMonth,
  storedBuild,
} from '../../server/db/build.ts';
import { recoverInterruptedWrite, schemaVersionOf } from '../../server/db/open.ts';
import { SCHEMA_VERSION } from '../../server/db/schema.ts';
import { defaultClassifier, modelFileId } from '../../server/domain/classifier.ts';
import { dayLabel } from '../../server/domain/flags.ts';
import { taxonomy } from '../../server/domain/taxonomy.ts';
import { plausibleWindow, type TimeWindow } from '../../server/domain/time.ts';
import type { Account, Intervention } from '../../server/domain/types.ts';
import { spanWords } from '../../server/estimate/coverage.ts';
import { aggregateLeafMonths, aggregateLeafMonthsIncrementally, type LeafMonth } from './aggregate.ts';
import { buildAnalyses, toLeafMonthCounts } from './analysis.ts';
import { locateBundle, PipelineError, readAccounts, readInterventions } from './bundle.ts';
import { calibrateCx, cxSqlExpression, keptCalibration } from './calibrate.ts';
import { acquireBuildLock, fsyncPath, removeDeadBuilds } from './durable.ts';
import { buildRefusal, GATE_BUSY_WAIT_MS, previousBuildSize, replaceRefusal } from './gates.ts';
import { ingestConversations, SampleReservoir } from './ingest.ts';
import { ingestConversationsParallel } from './ingest-parallel.ts';
import { buildServingTables } from './model.ts';
import { RejectLog } from './rejects.ts';
import { SampleSpill } from './sample-spill.ts';
import { writeSamples } from './samples.ts';
import { settledKey, settledResults } from './settled.ts';
import { type SingleFileBundle, singleFileBundle } from './single-file.ts';
import { strayDays } from './strays.ts';

export { PipelineError };

export interface PipelineOptions {
  /**
   * A canonical export bundle (a folder, SPEC §2), or a single export file (canonical, Intercom,
   * Zendesk or CSV: single-file.ts turns it into a bundle with one synthesized account).
   */
  input: string;
  /** single file only: the synthesized account's vertical and name (default: other, from the file name) */
  vertical?: string;
  name?: string;
  db: string;
  maxRejectRate?: number;
  log?: (msg: string) => void;
  /** progress lines on long runs; default: on when stderr is a terminal or for large files */
  progress?: boolean;
  /** worker threads for the conversation pass; default: one per core for large files, 0 below */
  workers?: number;
  /** bytes of input handed to a worker at a time (tests use small blocks to cross boundaries) */
  blockBytes?: number;
  /** plausible createdAt window (SPEC §2); default 2000-01-01 to the build time + 1 day */
  notBefore?: string;
  notAfter?: string;
  /** replace the database even when the new build holds far less than it (see checkShrink) */
  force?: boolean;
  /**
   * Add the input's conversations to the existing database instead of rebuilding it (`--append`):
   * see appendBase below and docs/pipeline.md for the rules.
   */
  append?: boolean;
  /**
   * `redis://HOST:PORT`: run the conversation pass as BullMQ jobs taken by `npm run worker`
   * processes (ingest-queue.ts) instead of in this process. Everything else is unchanged.
   */
  queue?: string;
  /** with `queue`: fail when no job finishes for this long (default 120 s) */
  queueIdleTimeoutMs?: number;
  /** the same for Redis answering at all (tests; default 10 s) */
  queueConnectTimeoutMs?: number;
  /**
   * Asked between phases and right before the swap; false stops the build without touching the
   * database (the CLI answers false once the process that started it is gone). The late phases
   * run synchronously, so a timer alone could not stop them before the rename.
   */
  shouldContinue?: () => boolean;
}

export interface PipelineResult {
  db: string;
  rejectsFile: string;
  accounts: number;
  conversations: number;
  rejected: number;
  duplicates: number;
  topicMapped: number;
  dataAsOf: string | null;
  seconds: number;
  conversationsPerSecond: number;
  cxSpearman: number | null;
}

/** how far V8 may grow the heap past the live data after a full collection, during a build */
export const BUILD_HEAP_GROWING_PERCENT = 30;

/** below this file size one thread is faster than starting workers */
const PARALLEL_FROM_BYTES = 8_000_000;

export function rejectsPathFor(dbPath: string): string {
  const base = basename(dbPath).replace(/\.db$/, '');
  return join(dirname(dbPath), `${base}.rejects.jsonl`);
}

export async function runPipeline(opts: PipelineOptions): Promise<PipelineResult> {
  const started = performance.now();
  const log = opts.log ?? ((m: string) => console.log(m));
  const dbPath = resolve(opts.db);
  const singleFile = isFile(opts.input);
  let window: TimeWindow;
  try {
    window = plausibleWindow(Date.now(), {
      ...(opts.notBefore !== undefined && { notBefore: opts.notBefore }),
      ...(opts.notAfter !== undefined && { notAfter: opts.notAfter }),
    });
  } catch (err) {
    throw new PipelineError(`--not-before/--not-after: ${(err as Error).message}`);
  }
  // the input is looked at before anything is written: a run that fails on a missing bundle must
  // not leave the --db path's folders behind
  let bundleFiles: ReturnType<typeof locateBundle> | null = null;
  try {
    bundleFiles = singleFile ? null : locateBundle(opts.input);
  } catch (err) {
    // the rejects file beside the database is the last run's: this one, failing on a missing
    // file, must not leave it there to be read as its own
    rmSync(rejectsPathFor(dbPath), { force: true });
    throw err;
  }
  mkdirSync(dirname(dbPath), { recursive: true });
  if (existsSync(dbPath) && !statSync(dbPath).isFile())
    throw new PipelineError(`${dbPath}: --db must be a database file, not a folder`);
  // a killed append's journal is rolled back first: the gates below read the file
  if (existsSync(dbPath) && statSync(dbPath).isFile()) recoverInterruptedWrite(dbPath, GATE_BUSY_WAIT_MS);
  const foreign = replaceRefusal(dbPath, opts.force === true);
  if (foreign) throw new PipelineError(`refused: ${foreign}`);
  const lock = acquireBuildLock(dbPath);
  // V8 grows its heap by up to 2-4x after each full collection; a build allocates short-lived
  // rows at a steady rate, so that headroom is never needed and only raised the peak (601-644 MB
  // at 1M conversations, 1,075 MB at 5M; with 30%: ~500 MB and ~570 MB). The price is more
  // frequent collections: one 1M build took 62.8 s with it, 53.2 s without (docs/scale.md).
  setFlagsFromString(`--heap-growing-percent=${BUILD_HEAP_GROWING_PERCENT}`);
  let single: SingleFileBundle | null = null;
  try {
    // the rejects file beside the database is this run's: a run that fails before reading a
    // record (a missing file) must not leave the last run's there to be read as its own
    rmSync(rejectsPathFor(dbPath), { force: true });
    const dead = removeDeadBuilds(dbPath);
    if (dead.length) log(`removed ${dead.length} leftover file(s) of interrupted builds: ${dead.join(', ')}`);
    const rejects = new RejectLog((m) => log(`  reject ${m}`));
    if (singleFile) {
      // The import's rejects are the build's: written next to the database and counted in its rate.
      try {
        single = await singleFileBundle(opts.input, {
          rejects,
          window,
          log,
          ...(opts.maxRejectRate !== undefined && { maxRejectRate: opts.maxRejectRate }),
          ...(opts.vertical !== undefined && { vertical: opts.vertical }),
          ...(opts.name !== undefined && { name: opts.name }),
        });
      } catch (err) {
        if (rejects.rejected > 0) rejects.write(rejectsPathFor(dbPath));
        throw err;
      }
    }
    const files = single ? locateBundle(single.dir) : bundleFiles!;
    return await buildLocked(opts, dbPath, files, window, log, started, rejects);
  } finally {
    single?.cleanup();
    setFlagsFromString('--heap-growing-percent=0'); // 0 = V8's own heuristic again
    lock.release();
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

async function buildLocked(
  opts: PipelineOptions,
  dbPath: string,
  files: ReturnType<typeof locateBundle>,
  window: TimeWindow,
  log: (m: string) => void,
  started: number,
  /** holds the rejects of a single file's import already */
  rejects: RejectLog,
): Promise<PipelineResult> {
  const maxRejectRate = opts.maxRejectRate ?? 0.01;
  const rejectsFile = rejectsPathFor(dbPath);
  const tmpPath = `${dbPath}.building-${process.pid}`;
  rmSync(tmpPath, { force: true });
  const inPlace = opts.append === true;
  if (inPlace) {
    if (!existsSync(dbPath))
      throw new PipelineError(`--append: ${dbPath} does not exist; build it first without --append`);
    const version = schemaVersionOf(dbPath, { busyWaitMs: GATE_BUSY_WAIT_MS, strict: true });
    if (version !== SCHEMA_VERSION)
      throw new PipelineError(
        `--append: ${dbPath} was built by ${version === null ? 'something else' : `schema version ${version}`}, this pipeline writes version ${SCHEMA_VERSION}; run a full build (without --append)`,
      );
    // The append writes in place, in one transaction (beginAppend): a copy for a rename, as a full
    // build makes, cost more than the rest of a daily append at 1M conversations (docs/scale.md).
  }
  const stopIfUnwanted = () => {
    if (opts.shouldContinue && !opts.shouldContinue())
      throw new PipelineError(
        'stopped: interrupted, or the process that started the pipeline is gone; the database was not changed',
      );
  };
  // The phases after the conversation pass are synchronous: between them the event loop turns once,
  // so a signal's handler can run and `shouldContinue` can stop the build before the next one.
  const yieldToSignals = () => new Promise<void>((done) => setImmediate(done));
  const phases: [string, number, number][] = [];
  let phaseStart = performance.now();
  const phase = async (name: string, beforeSwap = true) => {
    if (beforeSwap) {
      await yieldToSignals();
      stopIfUnwanted();
    }
    const now = performance.now();
    // the process's peak so far (KB → MB): which phase sets the build's peak memory
    phases.push([name, now - phaseStart, process.resourceUsage().maxRSS / 1024]);
    phaseStart = now;
  };
  // an append waits for the server's reads in progress when it commits
  const db = new Database(inPlace ? dbPath : tmpPath, inPlace ? { timeout: 60_000 } : {});
  let closed = false;
  // beside the database: the examples' messages wait there during the pass (sample-spill.ts)
  const spill = new SampleSpill(`${tmpPath}.samples`);
  try {
    if (inPlace) beginAppend(db);
    const base = inPlace ? appendBase(db) : null;
    if (!base) prepareBuildFile(db);

    const given = new Map<string, ReadonlySet<string>>();
    const accounts = await readAccounts(files.accounts, rejects, window, given);
    log(`accounts: ${accounts.size} from ${files.accounts}`);
    if (base && isFile(opts.input)) {
      // a help desk's daily file names no account: its stand-in is named after the file, so without
      // --name each day's file would quietly become an account of its own
      const stored = new Set(base.accounts.map((a) => a.id));
      const added = [...accounts.keys()].filter((id) => !stored.has(id));
      if (added.length > 0)
        log(
          `note: --append adds ${added.length === 1 ? 'a new account' : `${added.length} new accounts`} (${added.slice(0, 3).join(', ')}${added.length > 3 ? ', …' : ''}) that the database does not hold; to add a help desk's file to an existing account, pass --name with a name whose lower-case, dash-joined form is that account's id ("Brisk Kitchen" for brisk-kitchen)`,
        );
    }
    if (base) mergeStoredAccounts(accounts, base.accounts, isFile(opts.input) ? opts : null, given);
    const interventions = await readInterventions(files.interventions, accounts, rejects, window);
    if (files.interventions) log(`interventions: ${interventions.length}`);
    if (base) mergeStoredInterventions(interventions, base.interventions);

    await phase('accounts, interventions');
    const size = statSync(files.conversations).size;
    const showProgress = opts.progress ?? (process.stderr.isTTY || size > 50_000_000);
    let lastReport = performance.now();
    const samples = new SampleReservoir(base?.sampleJson, spill);
    if (base) for (const s of base.samples) samples.offerStored(s);
    const touched = new Map<string, Placement>();
    const conversationsHash = createHash('sha256');
    const workers = opts.workers ?? (size >= PARALLEL_FROM_BYTES ? Math.max(1, availableParallelism()) : 0);
    const ingestOptions = {
      path: files.conversations,
      db,
      accountIds: new Set(accounts.keys()),
      classifier: defaultClassifier,
      rejects,
      samples,
      window,
      rawHash: conversationsHash,
      ...(base && { touched }),
      onProgress: (lines: number) => {
        const now = performance.now();
        if (!showProgress || now - lastReport < 2000) return;
        lastReport = now;
        const secs = (now - started) / 1000;
        log(
          `  … ${lines.toLocaleString('en-US')} lines in ${secs.toFixed(1)} s (${Math.round(lines / secs).toLocaleString('en-US')}/s)`,
        );
      },
    };
    // BullMQ and ioredis load only for a queued run: importing them cost every embedded run (the
    // demo's first start included) 0.2-0.3 s before reading a line.
    const queued = opts.queue
      ? await (await import('./ingest-queue.ts')).ingestConversationsQueued({
          ...ingestOptions,
          queue: opts.queue,
          log,
          ...(opts.blockBytes !== undefined && { blockBytes: opts.blockBytes }),
          ...(opts.queueIdleTimeoutMs !== undefined && { idleTimeoutMs: opts.queueIdleTimeoutMs }),
          ...(opts.queueConnectTimeoutMs !== undefined && { connectTimeoutMs: opts.queueConnectTimeoutMs }),
        })
      : null;
    const ingest =
      queued ??
      (workers > 0
        ? await ingestConversationsParallel({ ...ingestOptions, workers, blockBytes: opts.blockBytes })
        : await ingestConversations(ingestOptions));
    if (queued) {
      const q = queued.queue;
      log(
        `queue: ${q.jobs} jobs, worker time ${q.workerSeconds.toFixed(1)} s (${Math.round(queued.lines / Math.max(q.workerSeconds, 1e-3)).toLocaleString('en-US')} lines/s per worker), merge ${q.writeSeconds.toFixed(1)} s, ${q.stalled} stalled job(s) retried`,
      );
    }
    log(
      `conversations: ${ingest.accepted.toLocaleString('en-US')} accepted, ${ingest.duplicates.toLocaleString('en-US')} duplicate ids (last one kept), ${ingest.topicMapped.toLocaleString('en-US')} labelled by source topic`,
    );
    if (base) log(`append: ${touched.size} account-months touched`);
    // A replaced version of a conversation no longer counts, and its date may have been the latest
    // (SPEC §1: dataAsOf is the latest created_at in the data kept): then it is read from the table
    // (a full build, which does not track the replaced versions' dates, reads it whenever ids repeat).
    const seen = latest(base?.dataAsOfMs ?? null, ingest.dataAsOfMs);
    const replacedLatest = ingest.replacedLatestMs;
    let dataAsOfMs =
      ingest.duplicates > 0 && (replacedLatest === null || seen === null || replacedLatest >= seen)
        ? conversationStore(db).latestCreatedAt()
        : seen;
    const duplicates = (base?.duplicates ?? 0) + ingest.duplicates;
    // an append knows how many rows it added, without reading the whole table again to count them
    let conversations =
      base && Number.isInteger(base.conversations)
        ? base.conversations + ingest.accepted - ingest.duplicates
        : conversationStore(db).count();
    // a full build leaves out stray dates at either end (strays.ts); an append adds the days after
    // the data, which must not be mistaken for them
    if (!base) {
      const store = conversationStore(db);
      const days = store.perDay();
      const strays = strayDays(days);
      if (strays.length > 0) {
        const strayAt = new Set(strays.map((d) => d.day));
        const keptDays = days.filter((d) => !strayAt.has(d.day));
        const label = (day: number) => dayLabel(new Date(day * DAY_MS).toISOString().slice(0, 10));
        const rest = `${label(keptDays[0]!.day)} – ${label(keptDays.at(-1)!.day)}`;
        for (const d of strays) {
          const away = d.after ? d.day - keptDays.at(-1)!.day : keptDays[0]!.day - d.day;
          for (const c of store.takeCreatedBetween(d.day * DAY_MS, (d.day + 1) * DAY_MS)) {
            samples.forget(c.id);
            rejects.add(
              files.conversations,
              0,
              `conversation "${c.id}" (account ${c.accountId}) dated ${label(d.day)}, ${spanWords(away)} ${d.after ? 'after' : 'before'} the rest of the data (${rest}): left out as a stray date (a typo, a test record?)`,
              c.id,
              false,
            );
          }
        }
        rejects.accepted -= strays.reduce((n, d) => n + d.conversations, 0);
        conversations = store.count();
        dataAsOfMs = store.latestCreatedAt();
        log(
          `stray dates: ${strays.reduce((n, d) => n + d.conversations, 0)} conversation(s) left out (see the rejects)`,
        );
      }
    }

    await phase(
      opts.queue
        ? 'conversations (queue)'
        : `conversations (${workers || 1} thread${workers > 1 ? 's' : ''})`,
    );
    rejects.write(rejectsFile);
    if (rejects.rejected > 0)
      log(
        `rejected: ${rejects.rejected} of ${rejects.accepted + rejects.rejected} records (${(rejects.rate * 100).toFixed(2)}%), see ${rejectsFile}`,
      );
    if (rejects.rate > maxRejectRate)
      throw new PipelineError(
        `${(rejects.rate * 100).toFixed(2)}% of records were invalid, over the --max-reject-rate of ${(maxRejectRate * 100).toFixed(2)}%; the database was not changed (rejects: ${rejectsFile})`,
      );

    const previous = base
      ? { accounts: Number(base.meta.accounts), conversations: Number(base.meta.conversations) }
      : previousBuildSize(dbPath);
    const refusal = buildRefusal(previous, { accounts: accounts.size, conversations });
    if (refusal && !opts.force)
      throw new PipelineError(`refused: ${refusal}; ${dbPath} was not changed (--force builds it anyway)`);
    if (refusal) log(`--force: ${refusal}`);

    // A daily append adds current-month conversations only: the calibration (fitted on the complete
    // months) and every stored CX sum stay exactly what a full build would compute again.
    const currentMonth = dataAsOfMs === null ? null : new Date(dataAsOfMs).toISOString().slice(0, 7);
    const kept = base ? keptCalibration(base.calibration, currentMonth, touched.values()) : null;
    const calibration = kept ?? calibrateCx(db, currentMonth);
    if (base)
      log(
        kept
          ? `cx calibration kept: the append touched only ${currentMonth}, after the months it was fitted on`
          : 'cx calibration fitted again: the append touched a month it is fitted on, or a new month began',
      );
    log(
      `cx score: weights resolution/sentiment/effort ${calibration.weights.map((w) => w.toFixed(2)).join('/')}${calibration.calibrated ? ' (calibrated on CSAT)' : ' (defaults: too few ratings)'}; ${calibration.method === 'isotonic' ? 'additive isotonic curves' : 'linear'}; Spearman vs CSAT on ${calibration.heldOut} held-out ratings: ${calibration.spearman?.toFixed(3) ?? '—'} (linear index ${calibration.spearmanLinear?.toFixed(3) ?? '—'}, defaults ${calibration.spearmanDefault?.toFixed(3) ?? '—'}, resolution only ${calibration.spearmanResolution?.toFixed(3) ?? '—'})`,
    );
    await phase('CX calibration');
    // written now, and the reservoir emptied, before the aggregates and the model fill the heap
    const sampleIds = db.transaction(() => writeSamples(db, samples, calibration, kept !== null))();
    spill.close();
    await phase('samples');
    const cxExpr = cxSqlExpression(calibration);
    if (base && !kept) base.clearLeafMonths();
    // let, to be let go of once the serving tables are written: the analyses read the counts only
    let leafMonths: LeafMonth[] | null =
      base && kept
        ? aggregateLeafMonthsIncrementally(
            db,
            base.takeLeafMonths(new Set(touched.keys())),
            touched.values(),
            cxExpr,
          )
        : aggregateLeafMonths(db, cxExpr);
    await phase('aggregates');
    const leafMonthCounts = toLeafMonthCounts(leafMonths);
    const key =
      currentMonth === null
        ? null
        : settledKey(accounts, interventions, leafMonthCounts, currentMonth, dataAsOfMs);
    const knownSettled = key && base ? settledResults(key, base.meta, base.settled) : null;
    if (base)
      log(
        knownSettled
          ? 'lifts, backtest and forecast track kept: the append left every whole month they judge as it was'
          : 'lifts, backtest and forecast track measured again: the append changed a month they judge, an account or an intervention',
      );
    const takeLeafMonths = () => {
      const taken = leafMonths!;
      leafMonths = null;
      return taken;
    };
    const built = db.transaction(() =>
      buildServingTables({
        db,
        accounts,
        interventions,
        leafMonths: takeLeafMonths(),
        leafMonthCounts,
        dataAsOfMs,
        cxExpr,
        sampleIds,
        cxTouchedAccounts: kept ? [...new Set([...touched.values()].map((p) => p.accountId))].sort() : null,
        addedAfterRowid: base?.lastConversationRowid ?? null,
        knownSettled,
      }),
    )();
    await phase('potential model, actions, flags');
    const analyses = db.transaction(() =>
      buildAnalyses({
        db,
        accounts,
        interventions,
        rows: leafMonthCounts,
        currentMonth: built.currentMonth,
        dataAsOfMs,
        potentials: built.potentials,
        firstCreated: built.firstCreated,
        actionLifts: built.actionLifts,
        settledKey: key,
        known: knownSettled,
      }),
    )();
    const bt = analyses.backtest;
    if (bt?.h3.mae != null)
      log(
        `potential model backtest: MAE ${(bt.h3.mae * 100).toFixed(1)} pts at M+3 (n=${bt.h3.n})${bt.h6.mae != null ? `, ${(bt.h6.mae * 100).toFixed(1)} pts at M+6 (n=${bt.h6.n})` : ''}`,
      );
    await phase('patterns, lifts, backtest');
    const dataAsOf = dataAsOfMs === null ? null : new Date(dataAsOfMs).toISOString();
    const rejected = (base?.rejected ?? 0) + rejects.rejected;
    const meta: Record<string, unknown> = {
      schemaVersion: SCHEMA_VERSION,
      builtAt: new Date().toISOString(),
      buildId: randomUUID(),
      source: resolve(opts.input),
      dataAsOf,
      currentMonth: built.currentMonth,
      monthToDate: built.monthToDate,
      window: built.window,
      taxonomyVersion: taxonomy.version,
      classifierModel: modelFileId(),
      conversations,
      accounts: accounts.size,
      rejected,
      duplicates,
      cxCalibration: calibration,
      backtest: analyses.backtest,
      fixCheck: analyses.fixCheck,
      forecast: analyses.forecast,
      settledAnalyses: analyses.settled,
    };
    // SPEC §8: every build is in the audit log. Written before the build lands (the commit, the
    // rename), so a log that cannot be written stops the build with the database unchanged; written
    // after, a security review saw a build served while the command said nothing had changed.
    const audit = () =>
      appendAudit(auditLogPath(dbPath), {
        action: 'build',
        who: osUser(),
        target: dbPath,
        sha256: conversationsHash.digest('hex'),
        // an append's entry says how many records it added; the hash is of its input only
        rows: {
          accounts: accounts.size,
          conversations,
          rejected: rejects.rejected,
          ...(base && { appended: ingest.accepted }),
        },
      });
    if (inPlace) {
      finishAppend(db, meta);
      await yieldToSignals();
      stopIfUnwanted();
      audit();
      db.exec('COMMIT');
      db.close();
      closed = true;
    } else {
      const integrity = finishBuildFile(db, meta);
      if (integrity !== 'ok')
        throw new PipelineError(`${tmpPath}: the new database failed its integrity check (${integrity})`);
      db.close();
      closed = true;
      await yieldToSignals();
      stopIfUnwanted();
      // The build ran without sync for speed: flush the file, then the rename, before reporting success.
      fsyncPath(tmpPath);
      audit();
      renameSync(tmpPath, dbPath);
      fsyncPath(dirname(dbPath));
    }
    await phase('indexes, write', false);
    log(
      `phases: ${phases.map(([n, ms, peakMb]) => `${n} ${(ms / 1000).toFixed(1)} s (peak ${Math.round(peakMb)} MB)`).join('; ')}`,
    );
    const seconds = (performance.now() - started) / 1000;
    const result: PipelineResult = {
      db: dbPath,
      rejectsFile,
      accounts: accounts.size,
      conversations,
      rejected: rejects.rejected,
      duplicates: ingest.duplicates,
      topicMapped: ingest.topicMapped,
      dataAsOf,
      seconds,
      conversationsPerSecond: ingest.lines / seconds,
      cxSpearman: calibration.spearman,
    };
    log(
      `${base ? 'appended to' : 'built'} ${dbPath} in ${seconds.toFixed(1)} s (${Math.round(result.conversationsPerSecond).toLocaleString('en-US')} conversations/s); data as of ${dataAsOf ?? '—'}`,
    );
    return result;
  } catch (err) {
    spill.close();
    if (!closed) {
      // an append's changes are undone; a new build's file is removed below
      if (db.inTransaction) db.exec('ROLLBACK');
      db.close();
    }
    rmSync(tmpPath, { force: true });
    if (existsSync(`${tmpPath}-journal`)) rmSync(`${tmpPath}-journal`, { force: true });
    if (rejects.rejected > 0 && !existsSync(rejectsFile)) rejects.write(rejectsFile);
    throw err;
  }
}

const latest = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/**
 * What an append run starts from, read inside its transaction from the database it extends before
 * the derived tables are emptied. Totals carried over (duplicates, rejected) are those of the runs
 * that built the database, so an append reports what a full build over all inputs would.
 */
function appendBase(db: Database.Database) {
  const stored = storedBuild(db);
  const meta = stored.meta();
  const base = {
    accounts: stored.accounts(),
    interventions: stored.interventions(),
    samples: stored.samples(),
    sampleJson: stored.sampleJson(),
    dataAsOfMs: typeof meta.dataAsOf === 'string' ? Date.parse(meta.dataAsOf) : null,
    calibration: meta.cxCalibration,
    duplicates: Number(meta.duplicates ?? 0),
    conversations: Number(meta.conversations),
    lastConversationRowid: stored.lastConversationRowid(),
    rejected: Number(meta.rejected ?? 0),
    meta,
    settled: stored.settled(),
    takeLeafMonths: (touched: ReadonlySet<string>): StoredLeafMonth[] => stored.takeLeafMonths(touched),
    clearLeafMonths: () => stored.clearLeafMonths(),
  };
  prepareAppendFile(db);
  return base;
}

/**
 * The accounts of an append: the stored ones, each replaced by the input's record of the same id
 * (a changed name, plan or CSM), then the input's new ones. An account missing from the input is
 * kept, with its history: a daily export need not repeat every account; nor every field of one — a
 * field the input's record does not give (no key, an empty cell) keeps its stored value, one it
 * gives as null is cleared (a review: a slim daily row of id, name and vertical wiped the account's
 * ARR, CSM and go-live date, and with it the CSM filter and the lifts; without a vertical or a
 * status it became "other", and a customer).
 *
 * A single export file has no accounts of its own: its records are stand-ins (the id, a name from
 * the file, vertical "other"), so a stored account keeps its record and takes only the name and
 * vertical given on the command line (`synthesizedFrom`). Replacing it wiped every appended
 * account's name, vertical, ARR and CSM, and moved its topics to another vertical's peers.
 */
function mergeStoredAccounts(
  input: Map<string, Account>,
  stored: readonly Account[],
  synthesizedFrom: Pick<PipelineOptions, 'name' | 'vertical'> | null,
  given: ReadonlyMap<string, ReadonlySet<string>>,
) {
  const fresh = new Map(input);
  input.clear();
  for (const a of stored) {
    const next = fresh.get(a.id);
    if (!next) input.set(a.id, a);
    else if (!synthesizedFrom) {
      const has = given.get(a.id) ?? new Set<string>();
      const pick = <K extends keyof Account>(k: K): Account[K] => (has.has(k) ? next[k] : a[k]);
      input.set(a.id, {
        ...next,
        vertical: pick('vertical'),
        plan: pick('plan'),
        arr: pick('arr'),
        csm: pick('csm'),
        region: pick('region'),
        aiLiveSince: pick('aiLiveSince'),
        status: pick('status'),
      });
    } else
      input.set(a.id, {
        ...a,
        ...(synthesizedFrom.name !== undefined &&
          next.name === synthesizedFrom.name.trim() && { name: next.name }),
        ...(synthesizedFrom.vertical !== undefined && { vertical: next.vertical }),
      });
  }
  for (const [id, a] of fresh) if (!input.has(id)) input.set(id, a);
}

/** Stored interventions first, then the input's, an identical record counted once. */
function mergeStoredInterventions(input: Intervention[], stored: readonly Intervention[]) {
  const key = (i: Intervention) => JSON.stringify([i.accountId, i.date, i.kind, i.taxonomyId, i.note]);
  const seen = new Set(stored.map(key));
  const fresh = input.filter((i) => !seen.has(key(i)));
  input.splice(0, input.length, ...stored, ...fresh);
}

const DAY_MS = 86_400_000;
