import { AssignerProtocol, GroupDescription } from 'kafkajs';

/** Whether a live member of the group owns a partition: the sign that its consumer is running. */
export type PartitionOwnership = (topic: string, partition: number) => boolean;

const nobody: PartitionOwnership = () => false;
const everything: PartitionOwnership = () => true;
const REBALANCING = new Set(['PreparingRebalance', 'CompletingRebalance']);

/**
 * Reads ownership from a describeGroups answer. Consumer-protocol groups carry each member's
 * assignment; during a rebalance assignments are empty although the consumers are alive, and other
 * protocols (Kafka Connect…) assign differently, so both count every partition as owned while the
 * group has members. A group without members owns nothing.
 */
export function partitionOwnership(description: Pick<GroupDescription, 'state' | 'protocolType' | 'members'>): PartitionOwnership {
  if (description.members.length === 0) return nobody;
  if (REBALANCING.has(description.state) || description.protocolType !== 'consumer') return everything;
  const owned = new Map<string, Set<number>>();
  try {
    for (const member of description.members) {
      const decoded = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
      if (!decoded) continue;
      for (const [topic, partitions] of Object.entries(decoded.assignment)) {
        let set = owned.get(topic);
        if (!set) owned.set(topic, (set = new Set()));
        for (const partition of partitions) set.add(partition);
      }
    }
  } catch {
    return everything; // an assignment we cannot read: the members are there, so assume they consume
  }
  return (topic, partition) => owned.get(topic)?.has(partition) ?? false;
}
