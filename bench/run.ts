/**
 * `npm run bench [-- name…]`: runs benchmarks on the devstack (started when it is not running) and
 * writes bench/results/<name>.json, <name>.md and a summary, bench/results/README.md.
 * Benchmarks report numbers; they are not tests and never fail the build.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { setReporter } from '../devstack/progress';
import { down, status, up } from '../devstack/stack';
import { agentCollectionBenchmark } from './agent-collection.bench';
import { alertDetectionBenchmark } from './alert-detection.bench';
import { anomalyDetectorBenchmark } from './anomaly-detector.bench';
import { dashboardFramesBenchmark } from './dashboard-frames.bench';
import { devstackFootprintBenchmark } from './devstack-footprint.bench';
import { gatewayLatencyBenchmark } from './gateway-latency.bench';
import { hungBrokerDetectionBenchmark } from './hung-broker-detection.bench';
import { Benchmark, BenchResult } from './harness';
import { processorThroughputBenchmark } from './processor-throughput.bench';

const BENCHMARKS: Benchmark[] = [devstackFootprintBenchmark, agentCollectionBenchmark, processorThroughputBenchmark, anomalyDetectorBenchmark, gatewayLatencyBenchmark, dashboardFramesBenchmark, alertDetectionBenchmark, hungBrokerDetectionBenchmark];
const resultsDir = join(__dirname, 'results');

const started = Date.now();
const log = (line: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${line}\n`);

function markdown(benchmark: Benchmark, result: BenchResult, at: string): string {
  const rows = result.measurements.map(
    (m) => `| ${m.name} | ${m.value} ${m.unit} | ${m.target ?? ''} | ${m.met === undefined ? '' : m.met ? 'yes' : '**no**'} |`,
  );
  return [`## ${benchmark.name}`, '', benchmark.description, '', `Run ${at} on ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB.`, '', '| measurement | value | target | met |', '|---|---|---|---|', ...rows, '', ...result.notes.map((n) => `- ${n}`), ''].join('\n');
}

function writeSummary(): void {
  const parts = readdirSync(resultsDir)
    .filter((file) => file.endsWith('.md') && file !== 'README.md')
    .sort()
    .map((file) => readFileSync(join(resultsDir, file), 'utf8'));
  writeFileSync(join(resultsDir, 'README.md'), ['# Benchmark results', '', 'Written by `npm run bench`; each section comes from `<name>.json` beside this file.', '', ...parts].join('\n'));
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !BENCHMARKS.some((b) => b.name === name));
  if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  const chosen = wanted.length ? BENCHMARKS.filter((b) => wanted.includes(b.name)) : BENCHMARKS;

  setReporter((line) => log(`devstack: ${line}`));
  const wasRunning = (await status('zk')).nodes.every((n) => n.state === 'up');
  if (!wasRunning) await up('zk');
  try {
    for (const benchmark of chosen) {
      log(`${benchmark.name}: ${benchmark.description}`);
      const result = await benchmark.run((line) => log(`${benchmark.name}: ${line}`));
      const at = new Date().toISOString();
      writeFileSync(join(resultsDir, `${benchmark.name}.json`), JSON.stringify({ name: benchmark.name, at, ...result }, null, 2) + '\n');
      writeFileSync(join(resultsDir, `${benchmark.name}.md`), markdown(benchmark, result, at));
      for (const m of result.measurements) log(`${benchmark.name}: ${m.name} = ${m.value} ${m.unit}${m.target ? ` (target ${m.target}: ${m.met ? 'met' : 'NOT met'})` : ''}`);
    }
    writeSummary();
    log(`results in ${resultsDir}`);
  } finally {
    if (!wasRunning) await down('zk');
  }
}

main().catch((error: Error) => {
  process.stderr.write(`bench stopped: ${error.message}\n`);
  process.exit(1);
});
