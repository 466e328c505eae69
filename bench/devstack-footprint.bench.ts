import { down, status, up } from '../devstack/stack';
import { Benchmark } from './harness';

const SETTLE_MS = 20000;

async function timed(work: () => Promise<unknown>): Promise<number> {
  const startedAt = Date.now();
  await work();
  return (Date.now() - startedAt) / 1000;
}

/**
 * How long the devstack takes to start and how much memory it holds. Restarts the ZooKeeper-mode
 * profile (jars already cached), lets it settle, and reads every node's RSS; then the same for KRaft.
 */
export const devstackFootprintBenchmark: Benchmark = {
  name: 'devstack-footprint',
  description: 'Start time (jars cached) and resident memory of the devstack profiles, idle.',
  async run(log) {
    log('restarting the zk profile');
    await down('zk');
    const zkStart = await timed(() => up('zk'));
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const zk = await status('zk');

    log('starting the kraft profile');
    const kraftStart = await timed(() => up('kraft'));
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const kraft = await status('kraft');
    await down('kraft');

    const rssOf = (kind: string) => zk.nodes.filter((n) => n.kind === kind).map((n) => n.rssMb ?? 0);
    return {
      measurements: [
        { name: 'zk profile start (3 ZooKeeper, 3 Kafka, ClickHouse)', value: zkStart, unit: 's' },
        { name: 'zk profile RSS, idle', value: zk.totalRssMb, unit: 'MB', target: '< 4096 MB', met: zk.totalRssMb < 4096 },
        { name: 'ZooKeeper RSS per server (max)', value: Math.max(...rssOf('zookeeper')), unit: 'MB' },
        { name: 'Kafka broker RSS (max)', value: Math.max(...rssOf('kafka')), unit: 'MB' },
        { name: 'ClickHouse RSS', value: rssOf('clickhouse')[0] ?? 0, unit: 'MB' },
        { name: 'kraft profile start (3 combined nodes)', value: kraftStart, unit: 's' },
        { name: 'kraft profile RSS, idle', value: kraft.totalRssMb, unit: 'MB' },
      ],
      notes: [`RSS read from /proc/<pid>/status ${SETTLE_MS / 1000} s after start.`, 'Heaps: ZooKeeper 96 MB, Kafka 320 MB max, Serial GC.'],
    };
  },
};
