import { Kafka, logLevel } from 'kafkajs';
import { DEAD_LETTER_HEADERS, MetricBatch, rollupBatchSchema } from '@doflamingo/contracts';
import { setReporter } from '../../devstack/progress';
import { startNode, stopNode } from '../../devstack/stack';
import { endpoints } from '../../devstack/topology';
import { eventually } from '../support/eventually';
import { metricBatch, ProcessorScenario, steadyStream } from '../support/processor-harness';

/** Expected window figures, computed here from the published samples, independently of the processor. */
function expectedWindows(samples: Array<{ series: string; ts: number; value: number; counter: boolean }>, sizeMs: number) {
  const windows = new Map<string, Array<{ ts: number; value: number; counter: boolean }>>();
  for (const s of samples) {
    const key = `${s.series}@${Math.floor(s.ts / sizeMs) * sizeMs}`;
    windows.set(key, [...(windows.get(key) ?? []), s]);
  }
  const result = new Map<string, Record<string, number | null>>();
  for (const [key, points] of windows) {
    const ordered = [...points].sort((a, b) => a.ts - b.ts);
    const values = ordered.map((p) => p.value);
    let delta: number | null = null;
    if (ordered[0].counter && ordered.length > 1) {
      delta = 0;
      for (let i = 1; i < values.length; i++) delta += values[i] >= values[i - 1] ? values[i] - values[i - 1] : values[i];
    }
    const seconds = (ordered[ordered.length - 1].ts - ordered[0].ts) / 1000;
    result.set(key, {
      sample_count: values.length,
      value_min: Math.min(...values),
      value_max: Math.max(...values),
      value_sum: values.reduce((a, b) => a + b, 0),
      value_first: values[0],
      value_last: values[values.length - 1],
      counter_delta: delta,
      counter_rate: delta === null || seconds === 0 ? null : delta / seconds,
    });
  }
  return result;
}

describe('processor (devstack)', () => {
  beforeAll(() => setReporter(() => undefined));

  describe('known samples, with malformed events and a redelivered message among them', () => {
    const scenario = new ProcessorScenario('known');
    afterAll(() => scenario.close());

    it('stores every valid sample once, aggregates windows exactly, and dead-letters each malformed event with its reason', async () => {
      const processor = scenario.startProcessor();
      await scenario.consuming(processor);

      // Three series over four minutes, five minutes ago: a gauge, a counter that restarts, a sparse gauge.
      const base = Math.floor(Date.now() / 60000) * 60000 - 6 * 60000;
      const published: Array<{ series: string; ts: number; value: number; counter: boolean }> = [];
      const messages: Array<{ key: string; value: string | null }> = [];
      for (let step = 0; step < 48; step++) {
        const ts = base + step * 5000 + (step % 3) * 7; // a few milliseconds apart, to test ts_ms
        const samples: MetricBatch['samples'] = [
          { metric: 'test_temperature', labels: { broker: '1' }, value: 20 + ((step * 7) % 11) - 5.5 },
          { metric: 'test_requests_total', labels: { broker: '1' }, value: step < 30 ? 1000 + step * 25 : (step - 30) * 4 },
        ];
        if (step % 7 === 0) samples.push({ metric: 'test_sparse', labels: { topic: "it's \"quoted\"\twith a tab, a \\ backslash,\na newline and ['brackets']" }, value: step });
        for (const s of samples) published.push({ series: `${s.metric}${JSON.stringify(s.labels)}`, ts, value: s.value, counter: s.metric.endsWith('_total') });
        const value = JSON.stringify(metricBatch(ts, samples));
        messages.push({ key: 'test-cluster/test/broker-1', value });
        if (step === 20) messages.push({ key: 'test-cluster/test/broker-1', value }); // a producer retry's duplicate
      }
      const malformed: Array<{ value: string | null; reason: RegExp }> = [
        { value: '{"schemaVersion":1,', reason: /^not JSON/ },
        { value: JSON.stringify({ ...metricBatch(base, []), schemaVersion: 99 }), reason: /at schemaVersion/ },
        { value: JSON.stringify(metricBatch(base, [{ metric: 'bad name', labels: {}, value: 1 }])), reason: /at samples\.0\.metric/ },
        { value: JSON.stringify(metricBatch(base, [{ metric: 'm', labels: {}, value: 'NaN' as unknown as number }])), reason: /at samples\.0\.value/ },
        { value: null, reason: /empty message/ },
      ];
      // Interleave the malformed events with the good ones: the processor must carry on after each.
      malformed.forEach((bad, i) => messages.splice(5 + i * 9, 0, { key: 'test-cluster/test/broker-1', value: bad.value }));
      await scenario.send(messages);

      const totals = await scenario.storedTotals(published.length, 60000);
      expect(totals).toEqual({ raw: published.length, tenSeconds: published.length, minute: published.length });

      // Raw: each published sample, once, with its exact timestamp and value.
      const raw = await scenario.query<{ metric: string; t: string; value: number; labels: string }>(
        `SELECT metric, toString(toUInt64(toUnixTimestamp(ts)) * 1000 + ts_ms) AS t, value,
                arrayStringConcat(arrayMap((n, v) -> concat(n, '=', v), label_names, label_values), ',') AS labels
         FROM {db}.samples_raw FINAL ORDER BY metric, t`,
      );
      const rawKeys = raw.map((r) => `${r.metric}|${r.labels}|${r.t}|${r.value}`).sort();
      const publishedKeys = published
        .map((p) => {
          const [metric, labels] = [p.series.slice(0, p.series.indexOf('{')), JSON.parse(p.series.slice(p.series.indexOf('{')))];
          const labelText = Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(',');
          return `${metric}|${labelText}|${p.ts}|${p.value}`;
        })
        .sort();
      expect(rawKeys).toEqual(publishedKeys);

      // Rollups: every window equal to the one computed here.
      for (const [table, sizeMs] of [['rollups_10s', 10000], ['rollups_1m', 60000]] as const) {
        const expected = expectedWindows(published, sizeMs);
        const rows = await scenario.query<Record<string, string | number | null>>(
          `SELECT metric, arrayStringConcat(arrayMap((n, v) -> concat(n, '=', v), label_names, label_values), ',') AS labels,
                  toUInt64(toUnixTimestamp(window_start)) * 1000 AS start, sample_count, value_min, value_max, value_sum, value_avg,
                  value_first, value_last, counter_delta, counter_rate
           FROM {db}.${table} FINAL`,
        );
        expect(rows).toHaveLength(expected.size);
        for (const row of rows) {
          const series = published.find((p) => {
            const labels = JSON.parse(p.series.slice(p.series.indexOf('{')));
            return p.series.startsWith(`${row.metric}{`) && Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(',') === row.labels;
          })!.series;
          const want = expected.get(`${series}@${row.start}`);
          expect(want).toBeDefined();
          expect(Number(row.sample_count)).toBe(want!.sample_count);
          for (const column of ['value_min', 'value_max', 'value_sum', 'value_first', 'value_last', 'counter_delta', 'counter_rate'] as const) {
            if (want![column] === null) expect(row[column]).toBeNull();
            else expect(Number(row[column])).toBeCloseTo(want![column] as number, 9);
          }
          expect(Number(row.value_avg)).toBeCloseTo((want!.value_sum as number) / (want!.sample_count as number), 9);
        }
      }

      // Dead letters: each malformed event, with its reason and its original bytes.
      const letters = await readTopic(scenario.topics.metricsDeadLetter, (messages) => messages.length >= malformed.length);
      expect(letters).toHaveLength(malformed.length);
      for (const bad of malformed) {
        const letter = letters.find((l) => (l.value ?? null) === bad.value);
        expect(letter).toBeDefined();
        expect(letter!.headers[DEAD_LETTER_HEADERS.reason]).toMatch(bad.reason);
        expect(letter!.headers[DEAD_LETTER_HEADERS.sourceTopic]).toBe(scenario.topics.metrics);
      }

      // The rollup topic carries the same windows, valid against the contract.
      const expectedCount = expectedWindows(published, 10000).size + expectedWindows(published, 60000).size;
      const windowsOf = (messages: Array<{ value: string | null }>) => messages.flatMap((m) => rollupBatchSchema.parse(JSON.parse(m.value!)).windows);
      const windows = windowsOf(await readTopic(scenario.topics.rollups, (messages) => windowsOf(messages).length >= expectedCount));
      const distinct = new Set(windows.map((w) => `${w.seriesId}/${w.resolution}/${w.windowStart}`));
      expect(distinct.size).toBe(expectedCount);
      expect(processor.output()).toContain('undecodable metric event sent to the dead-letter topic');
    });
  });

  describe('ClickHouse stopped for 30 s during a steady stream', () => {
    const scenario = new ProcessorScenario('outage');
    afterAll(async () => {
      await startNode('clickhouse').catch(() => undefined); // never leave the shared stack broken
      await scenario.close();
    });

    it('pauses, retries, resumes, and in the end has every sample once', async () => {
      const processor = scenario.startProcessor();
      await scenario.consuming(processor);
      const stream = steadyStream(scenario, { scopes: 6, seriesPerScope: 20, everyMs: 250 });
      await new Promise((resolve) => setTimeout(resolve, 5000));

      await stopNode('clickhouse');
      const stoppedAt = Date.now();
      // Judged by /health, not by the log: an earlier flap under load may already have logged a pause.
      await eventually(() => fetchHealth(processor), (health) => /"paused":true/.test(health), 30000, 'the processor pausing');
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 30000 - (Date.now() - stoppedAt))));
      await startNode('clickhouse');

      await new Promise((resolve) => setTimeout(resolve, 5000));
      const published = await stream.stop();
      const totals = await scenario.storedTotals(published, 90000);
      expect(totals).toEqual({ raw: published, tenSeconds: published, minute: published });

      const out = processor.output();
      expect(out).toContain('consumer resumed');
      // The outage is logged once when it starts (ClickHouse may flap while it starts again: each flap is
      // an outage) and then once per minute — never once per failed retry.
      const sink = JSON.parse(await fetchHealth(processor)).details.consumer.clickhouse as { failures: number; outages: number };
      const logged = out.match(/ClickHouse is not taking writes/g)?.length ?? 0;
      expect(logged).toBeGreaterThanOrEqual(1);
      expect(logged).toBeLessThanOrEqual(sink.outages + 1);
      expect(sink.failures).toBeGreaterThan(logged);
    }, 240000);
  });

  describe('a processor killed with SIGKILL mid-stream and started again', () => {
    const scenario = new ProcessorScenario('crash');
    afterAll(() => scenario.close());

    it('ends with every sample once, raw and in both rollups', async () => {
      const first = scenario.startProcessor();
      await scenario.consuming(first);
      const stream = steadyStream(scenario, { scopes: 6, seriesPerScope: 20, everyMs: 200 });
      await new Promise((resolve) => setTimeout(resolve, 12000));
      first.child.kill('SIGKILL');
      await first.exited;
      await new Promise((resolve) => setTimeout(resolve, 3000));

      const second = scenario.startProcessor();
      await scenario.consuming(second);
      await new Promise((resolve) => setTimeout(resolve, 5000));
      const published = await stream.stop();

      const totals = await scenario.storedTotals(published, 90000);
      expect(totals).toEqual({ raw: published, tenSeconds: published, minute: published });
    });
  });

  describe('two instances sharing the partitions, one killed mid-stream', () => {
    const scenario = new ProcessorScenario('pair');
    afterAll(() => scenario.close());

    it('share the partitions, and after one dies the other ends with every sample once', async () => {
      const a = scenario.startProcessor({}, 'pa');
      await scenario.consuming(a);
      const b = scenario.startProcessor({}, 'pb');
      await scenario.consuming(b);
      const stream = steadyStream(scenario, { scopes: 12, seriesPerScope: 10, everyMs: 200 });
      await eventually(async () => [await fetchHealth(a), await fetchHealth(b)], (h) => h.every((text) => /"partitions":\[\d/.test(text)), 30000, 'both instances owning partitions');

      await new Promise((resolve) => setTimeout(resolve, 8000));
      a.child.kill('SIGKILL');
      await a.exited;
      await eventually(async () => fetchHealth(b), (text) => /"partitions":\[0,1,2,3,4,5\]/.test(text), 60000, 'the survivor taking every partition');
      await new Promise((resolve) => setTimeout(resolve, 5000));
      const published = await stream.stop();

      const totals = await scenario.storedTotals(published, 90000);
      expect(totals).toEqual({ raw: published, tenSeconds: published, minute: published });
    });
  });

  describe('retention', () => {
    const scenario = new ProcessorScenario('retention');
    afterAll(() => scenario.close());

    it('drops daily partitions older than the limit when it starts, and nothing newer', async () => {
      const processor = scenario.startProcessor({ RETENTION_RAW_DAYS: '3' });
      await scenario.consuming(processor);
      const day = 86400;
      const today = Math.floor(Date.now() / 1000 / day) * day + 3600;
      const row = (daysAgo: number) => ({ ts: today - daysAgo * day, ts_ms: 0, cluster: 'c', metric: 'm', series_id: '1', label_names: [], label_values: [], value: daysAgo, agent: 'a', collector: 'x' });
      await scenario.clickhouse.insert({
        table: `${scenario.database}.samples_raw`,
        values: [0, 1, 3, 4, 10].map(row),
        columns: ['ts', 'ts_ms', 'cluster', 'metric', 'series_id', 'label_names', 'label_values', 'value', 'agent', 'collector'],
        format: 'JSONEachRow',
      });
      processor.child.kill('SIGTERM');
      await processor.exited;

      const again = scenario.startProcessor({ RETENTION_RAW_DAYS: '3' });
      await eventually(async () => again.output(), (out) => out.includes('retention: dropped expired daily partitions'), 60000, 'a retention run');
      const kept = await scenario.query<{ value: number }>('SELECT value FROM {db}.samples_raw ORDER BY value');
      expect(kept.map((r) => Number(r.value))).toEqual([0, 1, 3]);
    });
  });
});

async function fetchHealth(app: { output: () => string }): Promise<string> {
  const port = /listening on http:\/\/[^:]+:(\d+)/.exec(app.output())?.[1];
  if (!port) throw new Error('processor port not logged yet');
  const response = await fetch(`http://localhost:${port}/health`);
  return response.text();
}

type TopicMessage = { value: string | null; headers: Record<string, string> };

/** Reads a topic from the beginning until `enough` says so (then one more second, to catch extras). */
async function readTopic(topic: string, enough: (messages: TopicMessage[]) => boolean): Promise<TopicMessage[]> {
  const kafka = new Kafka({ clientId: 'doflamingo-tests', brokers: endpoints.kafkaBrokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `doflamingo-test-${process.pid}-${Date.now()}` });
  const messages: TopicMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
      messages.push({ value: message.value ? message.value.toString() : null, headers });
    },
  });
  try {
    await eventually(async () => enough(messages), (done) => done, 30000, `enough messages on ${topic}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  } finally {
    await consumer.disconnect();
  }
  return messages;
}
