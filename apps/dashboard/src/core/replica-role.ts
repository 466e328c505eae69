import type { Partition } from './state-types';

export type ReplicaRole = 'leader' | 'in-sync' | 'out-of-sync' | 'none';

/** A broker's part in a partition: leader, in-sync follower, out-of-sync replica, or none. */
export function replicaRole(p: Partition, broker: number): ReplicaRole {
  if (p.leader === broker && !p.offline) return 'leader';
  const assigned = p.replicas ? p.replicas.includes(broker) : p.leader === broker;
  if (!assigned) return 'none';
  if (!p.isr) return p.leader === broker ? 'leader' : 'none';
  return p.isr.includes(broker) ? 'in-sync' : 'out-of-sync';
}
