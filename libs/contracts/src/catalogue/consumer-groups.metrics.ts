import { codeList, CONSUMER_GROUP_STATE, CONSUMER_STATUS } from '../consumer-status';
import { defineMetric, MetricDefinition, MetricGroup } from './metric-definition';

const m = defineMetric;

const partition = ['group', 'topic', 'partition'] as const;
const statuses = `Codes (CONSUMER_STATUS in @doflamingo/contracts): ${codeList(CONSUMER_STATUS)}.`;

/**
 * Consumer groups read through the Kafka protocol (kafkajs admin), with a Burrow-style health
 * evaluation over a sliding window of commits (see apps/agent/src/collectors/consumer-groups).
 */
export const consumerGroupMetrics = {
  reachable: m({ name: 'kafka_consumer_groups_reachable', type: 'gauge', unit: 'boolean', labels: [], help: '1 when the agent could list the consumer groups in this collection; 0 when it could not (a broker restarting is enough), in which case the groups of the last list are still evaluated, if there was one.', healthy: '1.' }),
  groups: m({ name: 'kafka_consumer_groups', type: 'gauge', unit: 'count', labels: [], help: 'Consumer groups the coordinators know, empty ones included.', healthy: 'Stable.' }),
  groupsByStatus: m({ name: 'kafka_consumer_groups_by_status', type: 'gauge', unit: 'count', labels: ['status'], help: 'Groups per health status; status is OK, WARN or ERR.', healthy: '0 for WARN and ERR.' }),
  groupsUnreadable: m({ name: 'kafka_consumer_groups_unreadable', type: 'gauge', unit: 'count', labels: [], help: 'Groups that could not be described, or whose committed offsets or topic end offsets could not be read in this collection (coordinator or leader moving or down); what could not be read is left out and its health carried over, not re-evaluated.', healthy: '0.' }),
  groupState: m({ name: 'kafka_consumer_group_state', type: 'gauge', unit: 'state', labels: ['group'], help: `Group state from the coordinator. Codes (CONSUMER_GROUP_STATE in @doflamingo/contracts): ${codeList(CONSUMER_GROUP_STATE)}.`, healthy: '3 (Stable) for a running application; 5 (Empty) is normal for a group whose consumers are not running.' }),
  groupMembers: m({ name: 'kafka_consumer_group_members', type: 'gauge', unit: 'count', labels: ['group'], help: 'Consumers currently in the group.', healthy: 'The number of instances you run; 0 means nobody consumes.' }),
  groupPartitions: m({ name: 'kafka_consumer_group_partitions', type: 'gauge', unit: 'count', labels: ['group'], help: 'Partitions the group has committed offsets for (on topics that still exist).', healthy: 'Stable.' }),
  groupLag: m({ name: 'kafka_consumer_group_lag', type: 'gauge', unit: 'messages', labels: ['group'], help: 'Total lag of the group: the sum over its partitions of log-end offset minus committed offset.', healthy: 'Small and not growing.' }),
  groupMaxLagSeconds: m({ name: 'kafka_consumer_group_max_lag_seconds', type: 'gauge', unit: 'seconds', labels: ['group'], help: 'Largest partition lag in seconds: how old the oldest message the group has not consumed is.', healthy: 'Below what the application tolerates (seconds for online services).' }),
  groupLagTrend: m({ name: 'kafka_consumer_group_lag_trend', type: 'rate', unit: 'messages/s', labels: ['group'], help: "How fast the group's lag changes, in messages per second: the sum over its partitions of the lag change from the oldest commit observation in the evaluation window to now. Positive: falling behind; negative: catching up.", healthy: '0 or negative.' }),
  groupStatus: m({ name: 'kafka_consumer_group_status', type: 'gauge', unit: 'status', labels: ['group'], help: `Group health: the worst partition status, with STOP, STALL and REWIND rolled up into ERR, so the group is OK, WARN or ERR. ${statuses}`, healthy: '0 (OK).' }),
  partitionCommittedOffset: m({ name: 'kafka_consumer_group_partition_committed_offset', type: 'gauge', unit: 'offset', labels: partition, help: 'Offset the group committed for the partition: the next message it will read.', healthy: 'Rising with the log-end offset; a drop is a rewind.' }),
  partitionLag: m({ name: 'kafka_consumer_group_partition_lag', type: 'gauge', unit: 'messages', labels: partition, help: 'Log-end offset minus committed offset (0 when the commit is ahead of a stale log-end offset).', healthy: 'Small and not growing.' }),
  partitionLagSeconds: m({ name: 'kafka_consumer_group_partition_lag_seconds', type: 'gauge', unit: 'seconds', labels: partition, help: "Age of the oldest message the group has not consumed: now minus the moment the log-end offset passed the committed offset, interpolated from the log-end offsets of recent collections and extrapolated at the partition's message rate beyond them. 0 when caught up; absent until two collections have been seen.", healthy: 'Below what the application tolerates.' }),
  partitionStatus: m({ name: 'kafka_consumer_group_partition_status', type: 'gauge', unit: 'status', labels: partition, help: `Partition health from the window of the last N commit observations (Burrow rules; an idle caught-up partition is OK). ${statuses}`, healthy: '0 (OK).' }),
} as const satisfies Record<string, MetricDefinition>;

export const consumerGroupMetricGroup: MetricGroup = {
  collector: 'consumer-groups',
  title: 'Consumer groups: lag and health',
  metrics: Object.values(consumerGroupMetrics),
};
