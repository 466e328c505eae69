import { Admin } from 'kafkajs';
import { setReporter } from '../../devstack/progress';
import { killNode, startNode } from '../../devstack/stack';
import { endpoints } from '../../devstack/topology';
import { devstackStatus } from '../support/devstack-cli';
import { eventually } from '../support/eventually';
import { connectAdmin } from '../support/kafka-admin';

describe('devstack fault helpers', () => {
  let admin: Admin;
  beforeAll(async () => {
    setReporter(() => undefined);
    admin = await connectAdmin(endpoints.kafkaBrokers);
  });
  afterAll(async () => {
    await startNode('kafka2').catch(() => undefined); // never leave the shared stack broken
    await admin.disconnect();
  });

  it('reports a killed broker down in `status`, and `start` brings it back into the cluster', async () => {
    const before = await devstackStatus();
    expect(before.nodes.find((n) => n.name === 'kafka2')).toMatchObject({ state: 'up' });

    await killNode('kafka2');
    const afterKill = await devstackStatus();
    expect(afterKill.nodes.find((n) => n.name === 'kafka2')).toMatchObject({ state: 'down', pid: null, rssMb: null });
    await eventually(() => admin.describeCluster(), (c) => !c.brokers.some((b) => b.nodeId === 2), 30000, 'broker 2 leaving the metadata');

    await startNode('kafka2');
    const afterStart = await devstackStatus();
    expect(afterStart.nodes.find((n) => n.name === 'kafka2')).toMatchObject({ state: 'up' });
    await eventually(() => admin.describeCluster(), (c) => c.brokers.length === 3, 30000, 'broker 2 rejoining');
  });

  it('reports every node with its RSS, and the whole profile stays under 4 GiB', async () => {
    const status = await devstackStatus();
    const running = status.nodes.filter((n) => n.state === 'up');
    expect(running.map((n) => n.name).sort()).toEqual(['clickhouse', 'kafka1', 'kafka2', 'kafka3', 'zk1', 'zk2', 'zk3']);
    for (const node of running) expect(node.rssMb).toBeGreaterThan(10);
    expect(status.totalRssMb).toBeLessThan(4096);
  });
});
