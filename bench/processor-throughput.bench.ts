/**
 * How fast the processor ingests a backlog of metric events into ClickHouse, against two
 * yardsticks fed the same samples: ClickHouse's own Kafka table engine (flat JSON rows from Kafka
 * through a materialized view) and clickhouse-client loading a file (the sink's limit). Everything
 * is produced to Kafka before any consumer starts, so what is timed is ingest, not production.
 *
 * BENCH_SAMPLES sets how many samples (rounded to whole collections of 20,000). Progress goes to
 * stderr. BENCH_PROCESSOR_CPU_PROF_DIR runs the processor under `node --cpu-prof` (its numbers
 * are then not representative). PROCESSOR_* variables in the environment reach the processor;
 * BENCH_PROCESSOR_LOG=<file> keeps its log, at BENCH_PROCESSOR_LOG_LEVEL (default warn).
 * BENCH_COMPRESSION=none produces plain JSON instead of gzip (the agent gzips) for comparison;
 * BENCH_KAFKA_ENGINE_CONSUMERS sets kafka_num_consumers (default 1).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, createWriteStream, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClickHouseClient } from '@clickhouse/client';
import { Admin, CompressionTypes, Kafka, logLevel, Producer } from 'kafkajs';
import { createClickHouseClient, identifier, MIGRATIONS, qualified, ROLLUP_TABLES, stringLiteral } from '@doflamingo/clickhouse';
import { loadConfig } from '@doflamingo/config';
import { topicNames } from '@doflamingo/contracts';
import { logDir } from '../devstack/paths';
import { readPidFile } from '../devstack/processes';
import { endpoints, findNode, nodesOf, repoRoot } from '../devstack/topology';
import { Benchmark, Measurement, round } from './harness';
import { cpuSecondsOf, processUsage } from './process-usage';
import * as samples from './processor-throughput.samples';

/**
 * At least 30 s of processor work on the 2-core devstack machine at the rates measured so far
 * (17,000 samples/s with all rollups written, up to 90,000/s when they fail); the whole benchmark
 * takes 1.5 to 4 minutes.
 */
const DEFAULT_SAMPLES = 2_000_000;
const PARTITIONS = 6;
const REPLICATION = 3;
const RSS_TARGET_MB = 300;
const STALL_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

interface Context {
  id: string;
  topics: ReturnType<typeof topicNames>;
  flatTopic: string;
  processorDb: string;
  sinkDb: string;
  clickhouseGroup: string;
  dir: string;
  plan: ReturnType<typeof samples.plan>;
  /** The agent gzips; BENCH_COMPRESSION=none sends plain JSON (for comparison). */
  compression: CompressionTypes;
  valueSum: number;
  clickhouse: ClickHouseClient;
  kafka: Kafka;
  admin: Admin;
  progress: (line: string) => void;
  clickhousePid?: number;
  kafkaPids: number[];
}

async function queryNumbers(ctx: Context, sql: string): Promise<number[]> {
  // 18.16 has no JSONCompactEachRow; JSONEachRow keeps the columns in order.
  const result = await ctx.clickhouse.query({ query: sql, format: 'JSONEachRow' });
  const [row] = await result.json<Record<string, unknown>>();
  return Object.values(row ?? {}).map(Number);
}

const countRows = async (ctx: Context, table: string, final = false) => (await queryNumbers(ctx, `SELECT count() FROM ${table}${final ? ' FINAL' : ''}`))[0];

/** The samples_raw DDL of the processor's own migration, under another name. */
function rawTableDdl(table: string): string {
  const statement = MIGRATIONS.find((m) => m.version === 1)!.statements[0];
  if (!statement.includes('{db}.samples_raw')) throw new Error('the samples_raw migration changed shape: update the benchmark');
  return statement.replace('{db}.samples_raw', table);
}

/** Merges left by one contender would slow the next one down: wait (bounded) until none runs. */
async function waitForMerges(ctx: Context): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const [running] = await queryNumbers(ctx, `SELECT count() FROM system.merges WHERE database IN (${stringLiteral(ctx.processorDb)}, ${stringLiteral(ctx.sinkDb)})`);
    if (running === 0) return;
    await sleep(1000);
  }
}

// ---------------------------------------------------------------------------------------------
// Producing the backlog

class FileSink {
  readonly stream: WriteStream;
  constructor(readonly path: string) {
    this.stream = createWriteStream(path);
  }
  async write(text: string): Promise<void> {
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }
  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

async function createTopics(ctx: Context): Promise<void> {
  await ctx.admin.createTopics({
    topics: [ctx.topics.metrics, ctx.flatTopic].map((topic) => ({ topic, numPartitions: PARTITIONS, replicationFactor: REPLICATION })),
    waitForLeaders: true,
    timeout: 60_000,
  });
}

/**
 * Splits messages into sends of at most 900 KB (uncompressed), as the agent's publisher does:
 * kafkajs puts one partition's messages of a send in one record batch, and the broker refuses
 * batches over 1 MB.
 */
function underSendLimit<M extends { value: string }>(messages: M[]): M[][] {
  const sends: M[][] = [];
  let current: M[] = [];
  let bytes = 0;
  for (const message of messages) {
    if (current.length > 0 && bytes + message.value.length > 900 * 1024) {
      sends.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += message.value.length;
  }
  if (current.length > 0) sends.push(current);
  return sends;
}

/** Produces every collection as metric events and as flat rows, and writes the rows to TSV and JSON files. */
async function produceBacklog(ctx: Context): Promise<{ seconds: number; eventBytes: number; flatBytes: number; messages: number }> {
  const producer: Producer = ctx.kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const tsv = new FileSink(join(ctx.dir, 'rows.tsv'));
  const json = new FileSink(join(ctx.dir, 'rows.json'));
  const startedAt = Date.now();
  const inFlight: Array<Promise<unknown>> = [];
  let eventBytes = 0;
  let flatBytes = 0;
  let messages = 0;
  let valueSum = 0;
  try {
    for (const collection of samples.collections(ctx.plan.timestamps)) {
      const events = collection.messages.map(({ key, event }) => ({ key, value: JSON.stringify(event) }));
      const flat = collection.messages.map(({ key, rows }) => ({ key, value: rows.map(samples.jsonRow).join('\n') }));
      for (const { rows } of collection.messages) for (const row of rows) valueSum += row.value;
      eventBytes += events.reduce((n, m) => n + m.value.length, 0);
      flatBytes += flat.reduce((n, m) => n + m.value.length, 0);
      messages += events.length;
      for (const [topic, messages] of [[ctx.topics.metrics, events], [ctx.flatTopic, flat]] as const) {
        for (const chunk of underSendLimit(messages)) {
          const sent = producer.send({ topic, messages: chunk, acks: -1, compression: ctx.compression });
          sent.catch(() => undefined); // awaited below; this only keeps a failure from being unhandled meanwhile
          inFlight.push(sent);
        }
      }
      await json.write(flat.map((m) => m.value).join('\n') + '\n');
      await tsv.write(collection.messages.map(({ rows }) => rows.map(samples.tsvRow).join('\n')).join('\n') + '\n');
      while (inFlight.length > 16) await inFlight.shift();
      if ((collection.index + 1) % 10 === 0 || collection.index + 1 === ctx.plan.collections) {
        ctx.progress(`produced ${collection.index + 1}/${ctx.plan.collections} collections (${fmt((collection.index + 1) * samples.SERIES)} samples)`);
      }
    }
    await Promise.all(inFlight);
  } finally {
    await producer.disconnect();
    await tsv.close();
    await json.close();
  }
  ctx.valueSum = valueSum;
  return { seconds: (Date.now() - startedAt) / 1000, eventBytes, flatBytes, messages };
}

// ---------------------------------------------------------------------------------------------
// 1. The processor

interface ProcessorResult {
  /** All N samples reached samples_raw; otherwise `gaveUp` says why not, and the times run to the last row stored. */
  finished: boolean;
  gaveUp?: string;
  startupSeconds: number;
  seconds: number;
  rows: number;
  duplicates: number;
  rollupSeconds: number;
  rollups: { '10s': number; '1m': number };
  rollupSamples: { '10s': number; '1m': number };
  rollupMessages: number;
  /** Windows in those messages (each message holds up to 500 windows of one metric). */
  rollupWindowsPublished: number;
  peakRssMb: number;
  cpuSeconds: number;
  clickhouseCpuSeconds: number;
  kafkaCpuSeconds: number;
  settings: ReturnType<typeof loadConfig>['processor'];
  profiled: boolean;
  /** Distinct warnings and errors it logged, with how often. */
  problems: Array<{ problem: string; count: number }>;
  healthAtEnd: string;
}

function processorEnv(ctx: Context, port: number): Record<string, string> {
  const passed = Object.fromEntries(Object.entries(process.env).filter(([name, value]) => /^(PROCESSOR_|KAFKA_REQUEST|CLICKHOUSE_REQUEST)/.test(name) && value !== undefined)) as Record<string, string>;
  return {
    PATH: process.env.PATH ?? '',
    KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
    CLICKHOUSE_URL: endpoints.clickhouseUrl,
    CLICKHOUSE_DATABASE: ctx.processorDb,
    TOPIC_PREFIX: `bench-${ctx.id}`,
    DOFLAMINGO_INSTANCE_ID: 'bench-processor',
    METRICS_TOPIC_PARTITIONS: String(PARTITIONS),
    METRICS_TOPIC_REPLICATION: String(REPLICATION),
    PROCESSOR_SELF_METRICS_INTERVAL_MS: '3600000',
    LOG_LEVEL: process.env.BENCH_PROCESSOR_LOG_LEVEL ?? 'warn',
    ...passed,
    PROCESSOR_HTTP_PORT: String(port),
  };
}

/** A warning or error the processor logged, in one line (HTTP request logs left out); undefined otherwise. */
function logProblem(line: string): string | undefined {
  let entry: { level?: string | number; msg?: string; err?: string; stack?: string; req?: unknown };
  try {
    entry = JSON.parse(line) as typeof entry;
  } catch {
    // Libraries that print for themselves (@clickhouse/client): "[time][WARN][source] text", then detail lines, which are left out.
    const printed = /^\[[^\]]*\]\[(WARN|ERROR)\](.*)$/.exec(line.trim());
    return printed ? `${printed[1].toLowerCase()}: ${printed[2].slice(0, 200)}` : undefined;
  }
  const level = typeof entry.level === 'number' ? (entry.level >= 50 ? 'error' : entry.level >= 40 ? 'warn' : 'info') : entry.level;
  if ((level !== 'warn' && level !== 'error' && level !== 'fatal') || entry.req !== undefined) return undefined;
  const stack = entry.stack?.split('\n').slice(0, 2).map((part) => part.trim().replace(/\/[^\s()]*\/(dist|node_modules)\//g, '')).join(' ');
  return `${level}: ${entry.msg ?? ''}${entry.err ? ` (${entry.err})` : ''}${stack ? ` [${stack}]` : ''}`;
}

/** The processor's /health: HTTP status and its consumer's status. */
async function healthSummary(port: number): Promise<string> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(3000) });
    const body = (await response.json()) as { status?: string; details?: { consumer?: { status?: string } } };
    return `HTTP ${response.status}, status ${body.status}, consumer ${body.details?.consumer?.status}`;
  } catch (error) {
    return `no answer (${(error as Error).message})`;
  }
}

/** Whether the processor's /health shows partitions assigned to its consumer. */
async function consuming(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) });
    const body = (await response.json()) as { details?: { consumer?: { partitions?: number[] } } };
    return (body.details?.consumer?.partitions?.length ?? 0) > 0;
  } catch {
    return false;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const stopped = await Promise.race([exited.then(() => true), sleep(20_000).then(() => false)]);
  if (!stopped) {
    child.kill('SIGKILL');
    await exited;
  }
}

async function runProcessor(ctx: Context): Promise<ProcessorResult> {
  const port = Number(process.env.BENCH_PROCESSOR_PORT ?? 9452);
  const env = processorEnv(ctx, port);
  const settings = loadConfig('processor', env).processor;
  const profileDir = process.env.BENCH_PROCESSOR_CPU_PROF_DIR;
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const main = join(repoRoot, 'dist', 'apps', 'processor', 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run "npm run -s build" first`);
  const N = ctx.plan.samples;
  const raw = qualified(ctx.processorDb, 'samples_raw');

  const spawnedAt = Date.now();
  const child = spawn(process.execPath, [...nodeArgs, main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let partial = '';
  let crashed = false;
  const problems = new Map<string, number>();
  const logFile = process.env.BENCH_PROCESSOR_LOG ? createWriteStream(process.env.BENCH_PROCESSOR_LOG) : undefined;
  const keep = (chunk: Buffer) => {
    logFile?.write(chunk);
    output = (output + chunk.toString()).slice(-20_000);
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      const problem = logProblem(line);
      if (!problem) continue;
      problems.set(problem, (problems.get(problem) ?? 0) + 1);
      if (problem.includes('metrics consumer crashed')) crashed = true;
    }
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const pid = child.pid!;
  const exited = () => (child.exitCode !== null || child.signalCode !== null ? `the processor exited (${child.exitCode ?? child.signalCode})` : undefined);
  let peakRssMb = 0;
  const usage = () => {
    const now = processUsage(pid);
    if (now) peakRssMb = Math.max(peakRssMb, now.peakRssMb);
    return now;
  };
  const others = () => ({ clickhouse: ctx.clickhousePid ? cpuSecondsOf([ctx.clickhousePid]) : 0, kafka: cpuSecondsOf(ctx.kafkaPids) });
  try {
    while (!(await consuming(port))) {
      if (exited()) throw new Error(`${exited()}:\n${output}`);
      if (Date.now() - spawnedAt > 120_000) throw new Error(`the processor did not start consuming within 120 s:\n${output}`);
      await sleep(100);
    }
    const startedAt = Date.now();
    const cpuAtStart = usage()!.cpuSeconds;
    const othersAtStart = others();
    ctx.progress(`processor consuming ${((startedAt - spawnedAt) / 1000).toFixed(1)} s after start (pid ${pid}); waiting for ${fmt(N)} rows in samples_raw`);

    // Until all N rows are in samples_raw, or the processor can no longer get there.
    let rows = 0;
    let lastChange = { at: startedAt, cpu: cpuAtStart, others: othersAtStart };
    let lastReport = 0;
    let doneAt = 0;
    let gaveUp: string | undefined;
    while (!doneAt && !gaveUp) {
      await sleep(500);
      const now = Date.now();
      const seen = await countRows(ctx, raw);
      const current = usage();
      if (seen !== rows) lastChange = { at: now, cpu: current?.cpuSeconds ?? lastChange.cpu, others: others() };
      rows = seen;
      if (rows >= N && (await countRows(ctx, raw, true)) >= N) doneAt = now;
      else if (exited()) gaveUp = exited();
      else if (crashed && now - lastChange.at > 10_000) gaveUp = 'its Kafka consumer crashed (kafkajs gave up: restart false)';
      else if (now - lastChange.at > STALL_MS) gaveUp = `nothing new in samples_raw for ${STALL_MS / 1000} s`;
      if (now - lastReport >= 2000 || doneAt || gaveUp) {
        ctx.progress(`processor: ${fmt(rows)}/${fmt(N)} rows (${fmt(rows / ((now - startedAt) / 1000))} rows/s), RSS ${fmt(current?.rssMb ?? 0)} MB, peak ${fmt(peakRssMb)} MB${crashed ? ', its consumer CRASHED' : ''}`);
        lastReport = now;
      }
    }
    if (gaveUp) ctx.progress(`processor did not store all samples: ${gaveUp}`);
    const end = doneAt ? { at: doneAt, cpu: usage()?.cpuSeconds ?? lastChange.cpu, others: others() } : lastChange;

    // Rollups: the last windows close on the idle flush, a second after the last batch; each is
    // stored in ClickHouse and published on the rollup topic.
    const expected = ctx.plan.expectedRollups;
    const rollupTables = { '10s': qualified(ctx.processorDb, ROLLUP_TABLES['10s']), '1m': qualified(ctx.processorDb, ROLLUP_TABLES['1m']) };
    const rollupMessages = async () => (await ctx.admin.fetchTopicOffsets(ctx.topics.rollups)).reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
    let seen = { ten: 0, minute: 0, messages: 0 };
    let rollupsDoneAt = Date.now();
    // The last windows close only on the idle flush (PROCESSOR_IDLE_FLUSH_MS after a partition's last message).
    const patienceMs = settings.idleFlushMs + 15_000;
    const rollupDeadline = Date.now() + settings.idleFlushMs + 120_000;
    let unchangedSince = Date.now();
    while (Date.now() < rollupDeadline && !exited()) {
      usage();
      const next = { ten: await countRows(ctx, rollupTables['10s']), minute: await countRows(ctx, rollupTables['1m']), messages: await rollupMessages() };
      if (next.ten !== seen.ten || next.minute !== seen.minute || next.messages !== seen.messages) {
        unchangedSince = Date.now();
        rollupsDoneAt = Date.now();
      }
      seen = next;
      const complete = seen.ten >= expected['10s'] && seen.minute >= expected['1m'];
      if (complete || Date.now() - unchangedSince > (crashed ? 5_000 : patienceMs)) break;
      ctx.progress(`processor rollups: 10 s ${fmt(seen.ten)}/${fmt(expected['10s'])}, 1 min ${fmt(seen.minute)}/${fmt(expected['1m'])} rows, ${fmt(seen.messages)}/${fmt(expected['10s'] + expected['1m'])} messages`);
      await sleep(1000);
    }
    const finalRollups = async (table: string) => queryNumbers(ctx, `SELECT count(), sum(sample_count) FROM ${table} FINAL`);
    const [tenCount, tenSamples] = await finalRollups(rollupTables['10s']);
    const [minuteCount, minuteSamples] = await finalRollups(rollupTables['1m']);
    usage();
    const healthAtEnd = exited() ?? (await healthSummary(port));
    const finalRows = await countRows(ctx, raw, true);
    const allRows = await countRows(ctx, raw);
    return {
      finished: Boolean(doneAt),
      gaveUp,
      startupSeconds: (startedAt - spawnedAt) / 1000,
      seconds: (end.at - startedAt) / 1000,
      rows: finalRows,
      duplicates: allRows - finalRows,
      rollupSeconds: (rollupsDoneAt - startedAt) / 1000,
      rollups: { '10s': tenCount, '1m': minuteCount },
      rollupSamples: { '10s': tenSamples, '1m': minuteSamples },
      rollupMessages: seen.messages,
      rollupWindowsPublished: await countRollupWindows(ctx),
      peakRssMb,
      cpuSeconds: end.cpu - cpuAtStart,
      clickhouseCpuSeconds: end.others.clickhouse - othersAtStart.clickhouse,
      kafkaCpuSeconds: end.others.kafka - othersAtStart.kafka,
      settings,
      profiled: Boolean(profileDir),
      problems: [...problems].map(([problem, count]) => ({ problem, count })),
      healthAtEnd,
    };
  } finally {
    await stopChild(child);
    logFile?.end();
  }
}

// ---------------------------------------------------------------------------------------------
// 2. ClickHouse's Kafka engine

interface KafkaEngineResult {
  ok: boolean;
  seconds: number;
  /** From creating the materialized view to the group having its partitions. */
  startupSeconds: number;
  rows: number;
  consumers: number;
  clickhouseCpuSeconds: number;
  error?: string;
}

function clickhouseErrorsSince(sizeBefore: number, mention: string): string {
  try {
    const file = join(logDir(findNode('clickhouse')), 'clickhouse-server.err.log');
    const text = readFileSync(file, 'utf8').slice(sizeBefore);
    const lines = text.split('\n').filter((line) => line.includes(mention) || /Kafka|rdkafka/i.test(line));
    return lines.slice(-5).join('\n');
  } catch {
    return '';
  }
}

function errLogSize(): number {
  try {
    return statSync(join(logDir(findNode('clickhouse')), 'clickhouse-server.err.log')).size;
  } catch {
    return 0;
  }
}

async function runKafkaEngine(ctx: Context): Promise<KafkaEngineResult> {
  // 1 by default: with 2, 18.16 stopped ~1,500 rows short of 2,000,000 in our runs (and 2 cores leave little to gain).
  const consumers = Number(process.env.BENCH_KAFKA_ENGINE_CONSUMERS ?? 1);
  const N = ctx.plan.samples;
  const target = qualified(ctx.sinkDb, 'kafka_engine_raw');
  const queue = qualified(ctx.sinkDb, 'kafka_queue');
  const view = qualified(ctx.sinkDb, 'kafka_to_raw');
  const columns = samples.FLAT_COLUMNS.map(identifier).join(', ');
  // ClickHouse 18.16's consumers start at the latest offset when their group has none: commit 0 for the group first.
  await ctx.admin.setOffsets({ groupId: ctx.clickhouseGroup, topic: ctx.flatTopic, partitions: Array.from({ length: PARTITIONS }, (_, partition) => ({ partition, offset: '0' })) });
  await ctx.clickhouse.command({ query: rawTableDdl(target) });
  await ctx.clickhouse.command({
    query: `CREATE TABLE ${queue} (
      ts DateTime, ts_ms UInt16, cluster String, metric String, series_id UInt64,
      label_names Array(String), label_values Array(String), value Float64, agent String, collector String
    ) ENGINE = Kafka SETTINGS
      kafka_broker_list = ${stringLiteral(endpoints.kafkaBrokers.join(','))},
      kafka_topic_list = ${stringLiteral(ctx.flatTopic)},
      kafka_group_name = ${stringLiteral(ctx.clickhouseGroup)},
      kafka_format = 'JSONEachRow',
      kafka_row_delimiter = '\\n',
      kafka_num_consumers = ${consumers}`,
  });
  const logSize = errLogSize();
  const viewAt = Date.now();
  await ctx.clickhouse.command({ query: `CREATE MATERIALIZED VIEW ${view} TO ${target} AS SELECT toDate(ts) AS date, ${columns}, now() AS inserted_at FROM ${queue}` });
  ctx.progress(`Kafka engine started (${consumers} consumer${consumers === 1 ? '' : 's'}); waiting for ${fmt(N)} rows`);
  try {
    // As for the processor, the clock starts when the group has its partitions assigned.
    let startedAt = 0;
    let cpuAtStart = 0;
    let rows = 0;
    let lastChange = Date.now();
    let lastReport = 0;
    for (;;) {
      await sleep(startedAt ? 500 : 100);
      const now = Date.now();
      if (!startedAt) {
        const [group] = (await ctx.admin.describeGroups([ctx.clickhouseGroup])).groups;
        if (group?.state === 'Stable' && group.members.some((member) => member.memberAssignment.length > 0)) {
          startedAt = now;
          cpuAtStart = ctx.clickhousePid ? cpuSecondsOf([ctx.clickhousePid]) : 0;
          ctx.progress(`Kafka engine consuming ${((startedAt - viewAt) / 1000).toFixed(1)} s after the view was created`);
        }
      }
      const seen = await countRows(ctx, target);
      if (seen !== rows) lastChange = now;
      rows = seen;
      if (startedAt && rows >= N && (await countRows(ctx, target, true)) >= N) {
        const cpu = ctx.clickhousePid ? cpuSecondsOf([ctx.clickhousePid]) - cpuAtStart : 0;
        ctx.progress(`Kafka engine: ${fmt(rows)}/${fmt(N)} rows in ${((now - startedAt) / 1000).toFixed(1)} s`);
        return { ok: true, seconds: (now - startedAt) / 1000, startupSeconds: (startedAt - viewAt) / 1000, rows: await countRows(ctx, target, true), consumers, clickhouseCpuSeconds: cpu };
      }
      if (now - lastChange > (rows === 0 ? 60_000 : STALL_MS)) {
        const log = clickhouseErrorsSince(logSize, ctx.clickhouseGroup);
        return { ok: false, seconds: (now - viewAt) / 1000, startupSeconds: startedAt ? (startedAt - viewAt) / 1000 : NaN, rows, consumers, clickhouseCpuSeconds: 0, error: `stalled at ${rows} of ${N} rows${startedAt ? '' : ' (its consumer group never got partitions)'}${log ? `; ClickHouse error log: ${log}` : ' (nothing in the ClickHouse error log)'}` };
      }
      if (now - lastReport >= 2000 && startedAt && now > startedAt) {
        ctx.progress(`Kafka engine: ${fmt(rows)}/${fmt(N)} rows (${fmt(rows / ((now - startedAt) / 1000))} rows/s)`);
        lastReport = now;
      }
    }
  } finally {
    // Stop its consumers before anything else runs.
    await ctx.clickhouse.command({ query: `DROP TABLE IF EXISTS ${view}` }).catch(() => undefined);
    await ctx.clickhouse.command({ query: `DROP TABLE IF EXISTS ${queue}` }).catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// 3. clickhouse-client from a file

async function clientInsert(ctx: Context, format: 'TSV' | 'JSONEachRow'): Promise<{ seconds: number; rows: number; bytes: number }> {
  const table = qualified(ctx.sinkDb, `client_${format.toLowerCase()}_raw`);
  const file = join(ctx.dir, format === 'TSV' ? 'rows.tsv' : 'rows.json');
  await ctx.clickhouse.command({ query: rawTableDdl(table) });
  const columns = samples.FLAT_COLUMNS.map(identifier).join(', ');
  const port = findNode('clickhouse').ports.tcp;
  const input = openSync(file, 'r');
  const startedAt = Date.now();
  try {
    const child = spawn('clickhouse-client', ['--port', String(port), '--query', `INSERT INTO ${table} (${columns}) FORMAT ${format}`], { stdio: [input, 'ignore', 'pipe'] });
    let errors = '';
    child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`clickhouse-client ${format} insert failed (${code}): ${errors.trim()}`);
  } finally {
    closeSync(input);
  }
  const seconds = (Date.now() - startedAt) / 1000;
  const rows = await countRows(ctx, table, true);
  ctx.progress(`clickhouse-client ${format}: ${fmt(rows)} rows in ${seconds.toFixed(1)} s (${fmt(rows / seconds)} rows/s)`);
  return { seconds, rows, bytes: statSync(file).size };
}

// ---------------------------------------------------------------------------------------------
// Checking that every contender stored the same rows

async function checksum(ctx: Context, table: string): Promise<string | undefined> {
  const [count, series, sum, minTs, maxTs] = await queryNumbers(ctx, `SELECT count(), uniqExact(series_id), sum(value), toUInt32(min(ts)), toUInt32(max(ts)) FROM ${table} FINAL`);
  const problems: string[] = [];
  if (count !== ctx.plan.samples) problems.push(`${count} rows, expected ${ctx.plan.samples}`);
  if (series !== samples.SERIES) problems.push(`${series} series, expected ${samples.SERIES}`);
  if (Math.abs(sum - ctx.valueSum) > Math.abs(ctx.valueSum) * 1e-9) problems.push(`sum(value) ${sum}, expected ${ctx.valueSum}`);
  if (minTs !== Math.floor(ctx.plan.firstTimestamp / 1000) || maxTs !== Math.floor(ctx.plan.lastTimestamp / 1000)) problems.push(`ts from ${minTs} to ${maxTs}, expected ${Math.floor(ctx.plan.firstTimestamp / 1000)} to ${Math.floor(ctx.plan.lastTimestamp / 1000)}`);
  return problems.length ? `${table}: ${problems.join('; ')}` : undefined;
}

async function sameSeriesIds(ctx: Context, a: string, b: string): Promise<boolean> {
  const [differing] = await queryNumbers(ctx, `SELECT count() FROM (SELECT DISTINCT series_id FROM ${a}) WHERE series_id NOT IN (SELECT series_id FROM ${b})`);
  return differing === 0;
}

// ---------------------------------------------------------------------------------------------

async function cleanUp(ctx: Context): Promise<void> {
  ctx.progress('cleaning up topics, consumer groups, databases and files');
  for (const db of [ctx.sinkDb, ctx.processorDb]) await ctx.clickhouse.command({ query: `DROP DATABASE IF EXISTS ${identifier(db)}` }).catch(() => undefined);
  const topics = (await ctx.admin.listTopics().catch(() => [] as string[])).filter((t) => t.startsWith(`bench-${ctx.id}.`));
  if (topics.length > 0) await ctx.admin.deleteTopics({ topics, timeout: 60_000 }).catch(() => undefined);
  // A group can only be deleted once its members have left (ClickHouse's leave a few seconds after DROP TABLE).
  const groups = [`bench-${ctx.id}-processor`, ctx.clickhouseGroup];
  for (let attempt = 0; attempt < 10; attempt++) {
    const existing = new Set((await ctx.admin.listGroups().catch(() => ({ groups: [] }))).groups.map((g) => g.groupId));
    const left = groups.filter((g) => existing.has(g));
    if (left.length === 0) break;
    await ctx.admin.deleteGroups(left).catch(() => undefined);
    await sleep(2000);
  }
  rmSync(ctx.dir, { recursive: true, force: true });
}

export const processorThroughputBenchmark: Benchmark = {
  name: 'processor-throughput',
  description:
    'Ingest speed of the processor on a backlog of metric events (20,000 series, JMX-like, 10 s collections, pre-produced to Kafka), against ClickHouse 18.16\'s Kafka table engine and clickhouse-client loading the same rows from a file.',
  async run(log) {
    const wanted = Number(process.env.BENCH_SAMPLES ?? DEFAULT_SAMPLES);
    if (!Number.isInteger(wanted) || wanted < 1) throw new Error(`BENCH_SAMPLES must be a positive whole number, got ${process.env.BENCH_SAMPLES}`);
    const compression = process.env.BENCH_COMPRESSION ?? 'gzip';
    if (compression !== 'gzip' && compression !== 'none') throw new Error(`BENCH_COMPRESSION must be gzip or none, got ${compression}`);
    const id = String(process.pid);
    const startedAt = Date.now();
    const progress = (line: string) => process.stderr.write(`[${((Date.now() - startedAt) / 1000).toFixed(0).padStart(4)}s] processor-throughput: ${line}\n`);
    const kafka = new Kafka({ clientId: 'doflamingo-bench', brokers: endpoints.kafkaBrokers, logLevel: logLevel.NOTHING, requestTimeout: 60_000 });
    const admin = kafka.admin();
    await admin.connect();
    const ctx: Context = {
      id,
      topics: topicNames(`bench-${id}`),
      flatTopic: `bench-${id}.flat-samples`,
      processorDb: `doflamingo_bench_${id}`,
      sinkDb: `doflamingo_bench_${id}_sink`,
      clickhouseGroup: `bench-${id}-clickhouse`,
      dir: mkdtempSync(join(tmpdir(), 'bench-processor-')),
      plan: samples.plan(wanted, Date.now()),
      compression: compression === 'none' ? CompressionTypes.None : CompressionTypes.GZIP,
      valueSum: 0,
      clickhouse: createClickHouseClient({ url: endpoints.clickhouseUrl, database: 'default', username: 'default', password: '', requestTimeoutMs: 30_000 }),
      kafka,
      admin,
      progress,
      clickhousePid: await readPidFile('clickhouse'),
      kafkaPids: (await Promise.all(nodesOf('zk').filter((n) => n.kind === 'kafka').map((n) => readPidFile(n.name)))).filter((pid): pid is number => pid !== undefined),
    };
    const N = ctx.plan.samples;
    try {
      log(`${fmt(N)} samples: ${ctx.plan.collections} collections of ${fmt(samples.SERIES)} series; topics bench-${id}.*, databases ${ctx.processorDb}(_sink)`);
      await ctx.clickhouse.command({ query: `CREATE DATABASE ${identifier(ctx.sinkDb)}` });
      await createTopics(ctx);
      const produced = await produceBacklog(ctx);
      log(`produced ${produced.messages} events (${fmt(produced.eventBytes / 2 ** 20)} MB of JSON) and as many flat-row messages (${fmt(produced.flatBytes / 2 ** 20)} MB) in ${produced.seconds.toFixed(1)} s`);

      log('1/3 the processor');
      const processor = await runProcessor(ctx);
      await waitForMerges(ctx);

      log('2/3 ClickHouse Kafka engine');
      const engine = await runKafkaEngine(ctx);
      await waitForMerges(ctx);

      log('3/3 clickhouse-client from files');
      const tsv = await clientInsert(ctx, 'TSV');
      await waitForMerges(ctx);
      const json = await clientInsert(ctx, 'JSONEachRow');

      const processorRaw = qualified(ctx.processorDb, 'samples_raw');
      const tables = [processorRaw, ...(engine.ok ? [qualified(ctx.sinkDb, 'kafka_engine_raw')] : []), qualified(ctx.sinkDb, 'client_tsv_raw'), qualified(ctx.sinkDb, 'client_jsoneachrow_raw')];
      const problems = (await Promise.all(tables.map((t) => checksum(ctx, t)))).filter((p): p is string => p !== undefined);
      const seriesMatch = await sameSeriesIds(ctx, processorRaw, qualified(ctx.sinkDb, 'client_tsv_raw'));

      const processorRate = processor.seconds > 0 ? processor.rows / processor.seconds : 0;
      const unfinished = processor.finished ? '' : ` — DID NOT FINISH: ${fmt(processor.rows)} of ${fmt(N)} stored, ${processor.gaveUp}`;
      const engineRate = engine.ok ? N / engine.seconds : NaN;
      const tsvRate = N / tsv.seconds;
      const jsonRate = N / json.seconds;
      const clientRate = Math.max(tsvRate, jsonRate);
      const clientFormat = tsvRate >= jsonRate ? 'TSV' : 'JSONEachRow';
      const s = processor.settings;
      const expectedMessages = ctx.plan.expectedRollups['10s'] + ctx.plan.expectedRollups['1m'];
      const measurements: Measurement[] = [
        { name: `processor: samples stored per second (consuming → all in samples_raw)${processor.finished ? '' : ' (up to the last row it stored)'}`, value: round(processorRate, 0), unit: 'samples/s' },
        { name: 'processor: samples in samples_raw (count … FINAL)', value: processor.rows, unit: 'samples', target: `= ${N}`, met: processor.rows === N },
        { name: `processor: time to store all samples${processor.finished ? '' : ' (to the last row it stored)'}`, value: round(processor.seconds, 1), unit: 's' },
        { name: 'processor: start-up (spawn → partitions assigned)', value: round(processor.startupSeconds, 1), unit: 's' },
        { name: 'processor: rollup rows, 10 s', value: processor.rollups['10s'], unit: 'rows', target: `= ${ctx.plan.expectedRollups['10s']} (every series × window)`, met: processor.rollups['10s'] === ctx.plan.expectedRollups['10s'] },
        { name: 'processor: rollup rows, 1 min', value: processor.rollups['1m'], unit: 'rows', target: `= ${ctx.plan.expectedRollups['1m']}`, met: processor.rollups['1m'] === ctx.plan.expectedRollups['1m'] },
        { name: 'processor: samples counted in the 10 s rollups (sum of sample_count)', value: processor.rollupSamples['10s'], unit: 'samples', target: `= ${N}`, met: processor.rollupSamples['10s'] === N },
        { name: 'processor: samples counted in the 1 min rollups', value: processor.rollupSamples['1m'], unit: 'samples', target: `= ${N}`, met: processor.rollupSamples['1m'] === N },
        { name: 'processor: rollup windows published on the rollup topic', value: processor.rollupWindowsPublished, unit: 'windows', target: `≥ ${expectedMessages}`, met: processor.rollupWindowsPublished >= expectedMessages },
        { name: 'processor: rollup messages (≤ 500 windows each)', value: processor.rollupMessages, unit: 'messages' },
        { name: 'processor: time until the last rollup was stored (includes the idle flush of the last windows)', value: round(processor.rollupSeconds, 1), unit: 's' },
        { name: 'processor: warnings and errors logged', value: processor.problems.reduce((n, p) => n + p.count, 0), unit: 'lines' },
        { name: 'processor: peak RSS (VmHWM)', value: round(processor.peakRssMb, 0), unit: 'MB', target: `≤ ${RSS_TARGET_MB} MB`, met: processor.peakRssMb <= RSS_TARGET_MB },
        { name: 'processor: CPU (user + system) while storing', value: round(processor.cpuSeconds, 1), unit: 's' },
        { name: 'processor: cores used', value: round(processor.cpuSeconds / processor.seconds, 2), unit: 'cores' },
        { name: 'ClickHouse server: cores used during the processor run', value: round(processor.clickhouseCpuSeconds / processor.seconds, 2), unit: 'cores' },
        { name: 'Kafka brokers: cores used during the processor run', value: round(processor.kafkaCpuSeconds / processor.seconds, 2), unit: 'cores' },
        engine.ok
          ? { name: `Kafka engine (${engine.consumers} consumer${engine.consumers === 1 ? '' : 's'}): rows per second`, value: round(engineRate, 0), unit: 'rows/s' }
          : { name: 'Kafka engine: rows per second (did not finish)', value: 0, unit: 'rows/s' },
        { name: 'Kafka engine: time to store all rows', value: round(engine.seconds, 1), unit: 's' },
        { name: 'Kafka engine: start-up (view created → partitions assigned)', value: round(engine.startupSeconds, 1), unit: 's' },
        { name: 'ClickHouse server: cores used during the Kafka engine run', value: round(engine.clickhouseCpuSeconds / engine.seconds, 2), unit: 'cores' },
        { name: 'clickhouse-client TSV file: rows per second', value: round(tsvRate, 0), unit: 'rows/s' },
        { name: 'clickhouse-client JSONEachRow file: rows per second', value: round(jsonRate, 0), unit: 'rows/s' },
        engine.ok
          ? { name: 'ratio: processor / Kafka engine', value: round(processorRate / engineRate, 2), unit: '×', target: '≥ 1', met: processor.finished && processorRate >= engineRate }
          : { name: 'ratio: processor / Kafka engine (engine did not finish)', value: 0, unit: '×', target: '≥ 1', met: false },
        { name: `ratio: processor / clickhouse-client (${clientFormat}, the faster)`, value: round(processorRate / clientRate, 2), unit: '×', target: '≥ 0.5', met: processor.finished && processorRate >= 0.5 * clientRate },
      ];
      const notes = [
        `${fmt(N)} samples = ${ctx.plan.collections} collections × ${fmt(samples.SERIES)} series (${samples.METRIC_COUNT} metrics, ${samples.COUNTER_METRICS} of them counters, × ${samples.TOPICS * samples.PARTITIONS_PER_TOPIC} partitions labelled broker/topic/partition, ${samples.BROKERS} brokers); event times every 10 s over ${fmt((ctx.plan.lastTimestamp - ctx.plan.firstTimestamp) / 60000)} min; ${produced.messages} ${compression === 'gzip' ? 'gzipped' : 'UNCOMPRESSED (BENCH_COMPRESSION=none)'} events of ≤ ${samples.MAX_SAMPLES_PER_MESSAGE} samples keyed by broker scope (${fmt(produced.eventBytes / 2 ** 20)} MB of JSON), on a ${PARTITIONS}-partition topic, replication ${REPLICATION}. BENCH_SAMPLES sets N.`,
        'All of it is produced before any consumer starts. Times run from the moment consumption starts (the processor\'s /health shows partitions assigned; the Kafka engine\'s consumer group has its partitions) to the poll (every 0.5 s) that sees all N rows in the table, checked with count() … FINAL.',
        `The processor does more than the yardsticks: it validates every event, computes series ids, writes 10 s and 1 min rollups (${fmt(processor.rollups['10s'] + processor.rollups['1m'])} more rows, expected ${fmt(ctx.plan.expectedRollups['10s'] + ctx.plan.expectedRollups['1m'])}: with one collection every 10 s each series has a 10 s window per sample) and publishes each window on the rollup topic. The yardsticks insert flat rows whose series_id is already computed.`,
        ...(processor.finished ? [] : [`The processor did not store all samples${unfinished}; its rate and times run to the last row it stored, and the goals count as not met.`]),
        processor.problems.length === 0
          ? `The processor logged no warning or error; /health at the end: ${processor.healthAtEnd}.`
          : `The processor logged: ${processor.problems.map((p) => `${p.problem} ×${p.count}`).join(' | ')}. /health at the end: ${processor.healthAtEnd}.`,
        `Processor settings: insert max wait ${s.insertMaxWaitMs} ms, insert concurrency ${s.insertConcurrency}, partitions concurrency ${s.partitionsConcurrency}, commit interval ${s.commitIntervalMs} ms, idle flush ${s.idleFlushMs} ms; ${processor.duplicates} duplicate raw rows before merging.${processor.profiled ? ' PROFILED RUN (node --cpu-prof): not representative.' : ''}`,
        engine.ok
          ? `Kafka engine: kafka_format JSONEachRow, one message per broker scope and collection holding its rows one per line, kafka_row_delimiter '\\n', kafka_num_consumers ${engine.consumers} (BENCH_KAFKA_ENGINE_CONSUMERS), materialized view into a table with the samples_raw DDL. 18.16 starts a new group at the latest offset, so the bench commits offset 0 for the group first.`
          : `Kafka engine did not finish: ${engine.error}`,
        `clickhouse-client --query "INSERT … FORMAT TSV|JSONEachRow" < file (${fmt(tsv.bytes / 2 ** 20)} MB TSV, ${fmt(json.bytes / 2 ** 20)} MB JSON), into a table with the samples_raw DDL; the faster of the two is the sink's limit.`,
        problems.length === 0 && seriesMatch
          ? 'Every table ended with exactly N rows, 20,000 series, the expected sum(value) and time range; the processor\'s series ids equal the independently computed ones.'
          : `Mismatches: ${[...problems, ...(seriesMatch ? [] : ['the processor\'s series ids differ from the independently computed ones'])].join(' | ')}`,
        'Everything shares the 2-core machine: the processor, ClickHouse and three Kafka brokers.',
      ];
      return { measurements, notes };
    } finally {
      await cleanUp(ctx);
      await admin.disconnect();
      await ctx.clickhouse.close();
    }
  },
};

/** Reads the rollup topic from the start and counts the windows its messages hold. */
async function countRollupWindows(ctx: { kafka: Kafka; admin: Admin; topics: { rollups: string } }): Promise<number> {
  const ends = await ctx.admin.fetchTopicOffsets(ctx.topics.rollups);
  const remaining = new Map(ends.filter((p) => Number(p.high) > Number(p.low)).map((p) => [p.partition, Number(p.high)]));
  if (remaining.size === 0) return 0;
  const consumer = ctx.kafka.consumer({ groupId: `bench-rollup-count-${process.pid}-${Date.now()}` });
  let windows = 0;
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: ctx.topics.rollups, fromBeginning: true });
    const done = new Promise<void>((resolve) => {
      void consumer.run({
        eachBatch: async ({ batch }) => {
          for (const message of batch.messages) windows += (JSON.parse(message.value!.toString()) as { windows: unknown[] }).windows.length;
          const last = Number(batch.messages[batch.messages.length - 1]?.offset ?? -1) + 1;
          if (last >= (remaining.get(batch.partition) ?? Infinity)) remaining.delete(batch.partition);
          if (remaining.size === 0) resolve();
        },
      });
    });
    await Promise.race([done, sleep(60_000)]);
  } finally {
    await consumer.disconnect();
  }
  return windows;
}
