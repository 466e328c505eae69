import { CONSUMER_STATUS, CONSUMER_STATUS_CODE, consumerGroupMetrics as c, consumerGroupStateCode, MetricSample, sample } from '@doflamingo/contracts';
import { CollectedBatch } from '../../collection/collector';
import { ConsumerHealth, worseGroupStatus } from './consumer-health';
import { EndOffsetHistory } from './end-offset-history';
import { PartitionOwnership } from './partition-ownership';

/** What one collection read about one group. */
export interface GroupSnapshot {
  groupId: string;
  /** describeGroups state; 'Unknown' when the group could not be described. */
  state: string;
  /** undefined when the group could not be described. */
  members?: number;
  ownership: PartitionOwnership;
  /** Committed offsets by topic (kafkajs fetchOffsets); undefined when they could not be read. */
  offsets?: ReadonlyArray<{ topic: string; partitions: ReadonlyArray<{ partition: number; offset: string }> }>;
}

/** Everything one collection read. */
export interface GroupsSnapshot {
  /** Collection time, ms since the epoch. */
  at: number;
  /** false when the groups could not be listed this time and `groups` are those of the last list. */
  listed: boolean;
  groups: readonly GroupSnapshot[];
  /** Log-end offsets by topic, indexed by partition, of every consumed topic that could be read. */
  endOffsets: ReadonlyMap<string, ReadonlyArray<number | undefined>>;
  /** Consumed topics that exist but whose log-end offsets could not be read this time. */
  unreadableTopics: ReadonlySet<string>;
}

/** Partition numbers as label values, made once: at 100,000 group partitions the strings add up. */
const partitionLabels: string[] = [];
const partitionLabel = (partition: number): string => (partitionLabels[partition] ??= String(partition));

export const GROUPS_SCOPE = 'consumer-groups';
/** One batch per group: a group's series always land in one partition of the metrics topic. */
export const groupScope = (groupId: string): string => `consumer-group:${groupId}`;

const { OK, WARN, ERR } = CONSUMER_STATUS_CODE;

/**
 * Turns collections into samples: committed offset, lag, lag in seconds and health per partition;
 * totals, worst lag in seconds, lag trend, state, members and health per group.
 * Keeps the state that needs history (commit windows, log-end offsets) and forgets groups and
 * partitions as they disappear. Committed offsets of topics that no longer exist are ignored.
 */
export class ConsumerGroupEvaluator {
  constructor(
    readonly health: ConsumerHealth = new ConsumerHealth(),
    readonly history: EndOffsetHistory = new EndOffsetHistory(),
  ) {}

  evaluate(snapshot: GroupsSnapshot): CollectedBatch[] {
    const { at, endOffsets, unreadableTopics } = snapshot;
    const { health, history } = this;
    health.beginCollection();
    history.beginCollection();
    for (const [topic, offsets] of endOffsets) {
      for (let partition = 0; partition < offsets.length; partition++) {
        const endOffset = offsets[partition];
        if (endOffset !== undefined) history.record(topic, partition, endOffset, at);
      }
    }

    const batches: CollectedBatch[] = [];
    const byStatus = [0, 0, 0];
    const observation = { committedOffset: 0, lag: 0, owned: false };
    let unreadable = 0;
    for (const group of snapshot.groups) {
      const { groupId } = group;
      const groupLabels = { group: groupId };
      const samples: MetricSample[] = [sample(c.groupState, groupLabels, consumerGroupStateCode(group.state))];
      if (group.members !== undefined) samples.push(sample(c.groupMembers, groupLabels, group.members));
      if (!group.offsets) {
        health.retain(groupId);
        unreadable++;
        batches.push({ scope: groupScope(groupId), samples });
        continue;
      }

      let partitions = 0;
      let totalLag = 0;
      let trend = 0;
      let maxLagSeconds: number | undefined = 0;
      let status = OK;
      let endsMissing = false;
      for (const { topic, partitions: committed } of group.offsets) {
        const ends = endOffsets.get(topic);
        if (!ends && !unreadableTopics.has(topic)) continue; // the topic is gone; its old commits mean nothing
        let highest = -1;
        for (const { partition } of committed) if (partition > highest) highest = partition;
        health.reserve(groupId, topic, highest + 1);
        for (const { partition, offset } of committed) {
          const committedOffset = Number(offset);
          if (!(committedOffset >= 0)) continue; // -1: nothing committed for this partition
          const labels = { group: groupId, topic, partition: partitionLabel(partition) };
          const endOffset = ends?.[partition];
          partitions++;
          samples.push(sample(c.partitionCommittedOffset, labels, committedOffset));
          if (endOffset === undefined) {
            health.touch(groupId, topic, partition);
            endsMissing = true;
            continue;
          }
          const lag = endOffset > committedOffset ? endOffset - committedOffset : 0;
          observation.committedOffset = committedOffset;
          observation.lag = lag;
          observation.owned = group.ownership(topic, partition);
          const partitionStatus = health.observe(groupId, topic, partition, observation, at);
          const lagSeconds = history.lagSeconds(topic, partition, committedOffset, at);
          samples.push(sample(c.partitionLag, labels, lag), sample(c.partitionStatus, labels, partitionStatus));
          if (lagSeconds !== undefined) samples.push(sample(c.partitionLagSeconds, labels, lagSeconds));
          totalLag += lag;
          trend += health.lastTrend;
          status = worseGroupStatus(status, partitionStatus);
          if (lagSeconds === undefined) {
            if (lag > 0) maxLagSeconds = undefined;
          } else if (maxLagSeconds !== undefined && lagSeconds > maxLagSeconds) {
            maxLagSeconds = lagSeconds;
          }
        }
      }
      samples.push(
        sample(c.groupPartitions, groupLabels, partitions),
        sample(c.groupLag, groupLabels, totalLag),
        sample(c.groupLagTrend, groupLabels, trend),
        sample(c.groupStatus, groupLabels, status),
      );
      if (maxLagSeconds !== undefined) samples.push(sample(c.groupMaxLagSeconds, groupLabels, maxLagSeconds));
      byStatus[status]++;
      if (endsMissing) unreadable++;
      batches.push({ scope: groupScope(groupId), samples });
    }
    health.endCollection();
    history.endCollection();

    batches.push({
      scope: GROUPS_SCOPE,
      samples: [
        sample(c.reachable, {}, snapshot.listed ? 1 : 0),
        sample(c.groups, {}, snapshot.groups.length),
        sample(c.groupsUnreadable, {}, unreadable),
        ...[OK, WARN, ERR].map((code) => sample(c.groupsByStatus, { status: CONSUMER_STATUS[code] }, byStatus[code])),
      ],
    });
    return batches;
  }
}

/** The one batch of a collection that could not list the groups at all. */
export function unreachableBatches(): CollectedBatch[] {
  return [{ scope: GROUPS_SCOPE, samples: [sample(c.reachable, {}, 0)] }];
}
