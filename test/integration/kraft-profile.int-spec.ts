import { Kafka, logLevel } from 'kafkajs';
import { setReporter } from '../../devstack/progress';
import { down, status as stackStatus, up } from '../../devstack/stack';
import { endpoints } from '../../devstack/topology';

describe('devstack KRaft profile (Kafka 4.x)', () => {
  let wasRunning = false;
  beforeAll(async () => {
    setReporter(() => undefined);
    wasRunning = (await stackStatus('kraft')).nodes.every((n) => n.state === 'up');
  });
  // Stop the profile only if this test started it: a developer's running stack is left alone.
  afterAll(() => (wasRunning ? undefined : down('kraft')), 60000);

  it('comes up with three combined broker/controller nodes that kafkajs sees', async () => {
    const status = await up('kraft');
    expect(status.nodes.filter((n) => n.profile === 'kraft').map((n) => n.state)).toEqual(['up', 'up', 'up']);
    expect(status.nodes.filter((n) => n.profile === 'kraft' && n.role === 'leader')).toHaveLength(1);

    const admin = new Kafka({ clientId: 'doflamingo-tests', brokers: endpoints.kraftBrokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const cluster = await admin.describeCluster();
      expect(cluster.brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
      expect([1, 2, 3]).toContain(cluster.controller);
    } finally {
      await admin.disconnect();
    }
  }, 180000);
});
