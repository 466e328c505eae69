import type { Partition } from './state-types';
import { replicaRole } from './replica-role';

const partition = (over: Partial<Partition>): Partition => ({
  partition: 0,
  leader: 1,
  offline: false,
  inSyncReplicas: 3,
  underReplicated: false,
  replicas: [1, 2, 3],
  isr: [1, 2, 3],
  logStartOffset: 0,
  logEndOffset: 10,
  ...over,
});

describe('replicaRole', () => {
  it('names the leader, in-sync followers, out-of-sync replicas and brokers without a replica', () => {
    const p = partition({ isr: [1, 3], underReplicated: true });
    expect([1, 2, 3, 4].map((b) => replicaRole(p, b))).toEqual(['leader', 'out-of-sync', 'in-sync', 'none']);
  });

  it('has no leader for an offline partition: its replicas are out of sync', () => {
    const p = partition({ leader: -1, offline: true, isr: [] });
    expect([1, 2, 3].map((b) => replicaRole(p, b))).toEqual(['out-of-sync', 'out-of-sync', 'out-of-sync']);
  });

  it('shows only the leader when the agent does not report replicas', () => {
    const p = partition({ replicas: null, isr: null });
    expect([1, 2].map((b) => replicaRole(p, b))).toEqual(['leader', 'none']);
  });
});
