/**
 * Runs in its own process so its RSS is the agent's alone: the kafka-cluster and consumer-groups
 * collectors against the devstack, one warm-up collection and then timed ones. Prints JSON.
 */
import { consumerGroupsCollector } from '../apps/agent/src/collectors/consumer-groups/consumer-groups.collector';
import { kafkaClusterCollector } from '../apps/agent/src/collectors/kafka-cluster/kafka-cluster.collector';
import { collectorContext } from '../test/support/collector-harness';

async function main(): Promise<void> {
  const cycles = Number(process.argv[2] ?? 3);
  const context = collectorContext();
  const collectors = [kafkaClusterCollector(context)!, consumerGroupsCollector(context)!];
  const timings: Array<{ total: number; byCollector: Record<string, number>; samples: number }> = [];
  for (let cycle = 0; cycle <= cycles; cycle++) {
    const startedAt = performance.now();
    const byCollector: Record<string, number> = {};
    let samples = 0;
    // As the scheduler does: collectors run side by side.
    await Promise.all(
      collectors.map(async (collector) => {
        const t = performance.now();
        const batches = await collector.collect(new AbortController().signal);
        byCollector[collector.name] = performance.now() - t;
        samples += batches.reduce((n, b) => n + b.samples.length, 0);
      }),
    );
    if (cycle > 0) timings.push({ total: performance.now() - startedAt, byCollector, samples });
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  const rssMb = process.memoryUsage().rss / 2 ** 20;
  await Promise.all(collectors.map((c) => c.close()));
  await context.close();
  process.stdout.write(JSON.stringify({ timings, rssMb }) + '\n');
  process.exit(0);
}

void main();
