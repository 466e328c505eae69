import { ApiProperty } from '@nestjs/swagger';
import { ALERT_SEVERITIES, ALERT_STATES, CONSUMER_GROUP_STATE, CONSUMER_STATUS } from '@doflamingo/contracts';

/**
 * What the state endpoints answer, read from the latest value of every live series. A figure the
 * agent has not reported (a collector not configured, JMX unreachable, a KRaft cluster's ZooKeeper)
 * is null, never 0: "unknown" and "zero" are different answers.
 */
const num = (description: string, example?: number) => ApiProperty({ type: Number, nullable: true, description, example });
const bool = (description: string) => ApiProperty({ type: Boolean, nullable: true, description });

export class ZooKeeperSummaryDto {
  @bool('The ensemble can serve writes (zookeeper_quorum_up).')
  quorum!: boolean | null;

  @ApiProperty({ type: String, nullable: true, description: 'The server that is leader now (server label, host:port).', example: 'zk1:2181' })
  leader!: string | null;

  @num('zookeeper_servers_up', 3)
  serversUp!: number | null;

  @num('zookeeper_servers_configured', 3)
  serversConfigured!: number | null;
}

export class ClusterSummaryDto {
  @ApiProperty({ type: String, example: 'prod-eu' })
  name!: string;

  @bool('The agent could read the cluster metadata in its last collection (kafka_cluster_reachable).')
  reachable!: boolean | null;

  @num('Brokers registered in the cluster metadata (kafka_brokers_up).', 3)
  brokersUp!: number | null;

  @num('Brokers the agent knows of (kafka_brokers_known).', 3)
  brokersKnown!: number | null;

  @num('Broker id of the active controller (kafka_controller_id); null when there is none.', 1)
  controller!: number | null;

  @num('kafka_topics', 12)
  topics!: number | null;

  @num('kafka_partitions', 120)
  partitions!: number | null;

  @num('kafka_offline_partitions', 0)
  offlinePartitions!: number | null;

  @num('kafka_under_replicated_partitions', 0)
  underReplicatedPartitions!: number | null;

  @num('kafka_under_min_isr_partitions', 0)
  underMinIsrPartitions!: number | null;

  @ApiProperty({ type: ZooKeeperSummaryDto, nullable: true, description: 'Null when the cluster has no ZooKeeper metrics (KRaft, or ZooKeeper not monitored).' })
  zookeeper!: ZooKeeperSummaryDto | null;

  @ApiProperty({ type: Number, description: 'Alerts of this cluster firing now.', example: 0 })
  firingAlerts!: number;

  @ApiProperty({ type: Number, description: 'Time of the newest sample of this cluster (ms since the epoch).', example: 1735689600000 })
  lastSampleAt!: number;
}

export class RequestTimesDto {
  @num('Produce p99, seconds')
  Produce!: number | null;

  @num('FetchConsumer p99, seconds')
  FetchConsumer!: number | null;

  @num('FetchFollower p99, seconds')
  FetchFollower!: number | null;
}

export class BrokerDto {
  @ApiProperty({ type: String, description: 'Broker id.', example: '1' })
  id!: string;

  @bool('Registered in the cluster metadata (kafka_broker_up).')
  up!: boolean | null;

  @bool('Its JMX endpoint answered the last collection (kafka_broker_jmx_up).')
  jmxUp!: boolean | null;

  @ApiProperty({ type: Boolean, description: 'It is the active controller (kafka_controller_id).' })
  controller!: boolean;

  @num('Partitions it leads, from the cluster metadata (kafka_broker_leader_partitions).', 40)
  leaderPartitions!: number | null;

  @num('Partition replicas assigned to it (kafka_broker_replica_partitions).', 120)
  replicaPartitions!: number | null;

  @num('Partitions it leads, as it reports itself over JMX (kafka_broker_leader_count).', 40)
  leaderCount!: number | null;

  @num('Partition replicas it hosts, as it reports itself over JMX (kafka_broker_partition_count).', 120)
  partitionCount!: number | null;

  @num('kafka_broker_under_replicated_partitions', 0)
  underReplicatedPartitions!: number | null;

  @num('kafka_broker_bytes_in_per_second', 1048576)
  bytesInPerSecond!: number | null;

  @num('kafka_broker_bytes_out_per_second', 2097152)
  bytesOutPerSecond!: number | null;

  @num('kafka_broker_messages_in_per_second', 1000)
  messagesInPerSecond!: number | null;

  @ApiProperty({ type: RequestTimesDto, description: '99th percentile of total request time per request type, seconds (kafka_broker_request_time_p99_seconds).' })
  requestTimeP99Seconds!: RequestTimesDto;

  @num('Share of time request handler threads were idle (kafka_broker_request_handler_idle_ratio).', 0.9)
  requestHandlerIdleRatio!: number | null;

  @num('Share of time network threads were idle (kafka_broker_network_processor_idle_ratio).', 0.95)
  networkProcessorIdleRatio!: number | null;
}

export class TopicDto {
  @ApiProperty({ type: String, example: 'orders' })
  name!: string;

  @num('kafka_topic_partitions', 12)
  partitions!: number | null;

  @num('kafka_topic_replication_factor', 3)
  replicationFactor!: number | null;

  @num('kafka_topic_min_insync_replicas', 2)
  minInsyncReplicas!: number | null;

  @num('kafka_topic_under_replicated_partitions', 0)
  underReplicatedPartitions!: number | null;

  @num('kafka_topic_offline_partitions', 0)
  offlinePartitions!: number | null;

  @num('kafka_topic_under_min_isr_partitions', 0)
  underMinIsrPartitions!: number | null;

  @num('kafka_topic_messages_in_per_second', 250)
  messagesInPerSecond!: number | null;

  @num('Sum over brokers of kafka_broker_topic_bytes_in_per_second (JMX).', 65536)
  bytesInPerSecond!: number | null;

  @num('Sum over brokers of kafka_broker_topic_bytes_out_per_second (JMX).', 131072)
  bytesOutPerSecond!: number | null;
}

export class PartitionDto {
  @ApiProperty({ type: Number, example: 0 })
  partition!: number;

  @num('Leading broker id (kafka_partition_leader); -1 when offline.', 1)
  leader!: number | null;

  @bool('No leader (kafka_partition_leader = -1).')
  offline!: boolean | null;

  @num('Replicas in sync with the leader (kafka_partition_in_sync_replicas). The metrics give the count, not the broker ids.', 3)
  inSyncReplicas!: number | null;

  @bool('kafka_partition_under_replicated')
  underReplicated!: boolean | null;

  @ApiProperty({ type: [Number], nullable: true, description: 'Broker ids of the assigned replicas, by id (kafka_partition_replica_in_sync); null when the agent does not report them.', example: [1, 2, 3] })
  replicas!: number[] | null;

  @ApiProperty({ type: [Number], nullable: true, description: 'Broker ids of the replicas in sync with the leader (kafka_partition_replica_in_sync = 1); null when not reported.', example: [1, 3] })
  isr!: number[] | null;

  @num('kafka_partition_log_start_offset', 0)
  logStartOffset!: number | null;

  @num('kafka_partition_log_end_offset', 123456)
  logEndOffset!: number | null;
}

export class TopicBrokerDto {
  @ApiProperty({ type: String, example: '1' })
  broker!: string;

  @num('kafka_broker_topic_bytes_in_per_second')
  bytesInPerSecond!: number | null;

  @num('kafka_broker_topic_bytes_out_per_second')
  bytesOutPerSecond!: number | null;

  @num('kafka_broker_topic_messages_in_per_second')
  messagesInPerSecond!: number | null;

  @num('kafka_broker_topic_log_size_bytes')
  logSizeBytes!: number | null;
}

export class TopicDetailDto extends TopicDto {
  @ApiProperty({ type: [PartitionDto], description: 'Partitions the metrics mention, by number.' })
  partitionDetails!: PartitionDto[];

  @ApiProperty({ type: [TopicBrokerDto], description: 'Per broker, from JMX.' })
  brokers!: TopicBrokerDto[];
}

export class ConsumerGroupDto {
  @ApiProperty({ type: String, example: 'billing' })
  group!: string;

  @ApiProperty({ enum: CONSUMER_STATUS, nullable: true, description: 'Health (kafka_consumer_group_status): OK, WARN or ERR; STOP, STALL and REWIND appear on partitions.' })
  status!: string | null;

  @ApiProperty({ enum: CONSUMER_GROUP_STATE, nullable: true, description: 'Coordinator state (kafka_consumer_group_state).' })
  state!: string | null;

  @num('kafka_consumer_group_members', 3)
  members!: number | null;

  @num('kafka_consumer_group_partitions', 12)
  partitions!: number | null;

  @num('Total lag in messages (kafka_consumer_group_lag).', 42)
  lag!: number | null;

  @num('Age of the oldest unconsumed message, seconds (kafka_consumer_group_max_lag_seconds).', 1.5)
  lagSeconds!: number | null;

  @num('Lag change in messages per second (kafka_consumer_group_lag_trend); positive: falling behind.', 0)
  lagTrend!: number | null;
}

export class ConsumerGroupPartitionDto {
  @ApiProperty({ type: String, example: 'orders' })
  topic!: string;

  @ApiProperty({ type: Number, example: 0 })
  partition!: number;

  @ApiProperty({ enum: CONSUMER_STATUS, nullable: true })
  status!: string | null;

  @num('kafka_consumer_group_partition_committed_offset')
  committedOffset!: number | null;

  @num('kafka_consumer_group_partition_lag')
  lag!: number | null;

  @num('kafka_consumer_group_partition_lag_seconds')
  lagSeconds!: number | null;
}

export class ConsumerGroupDetailDto extends ConsumerGroupDto {
  @ApiProperty({ type: [ConsumerGroupPartitionDto] })
  partitionDetails!: ConsumerGroupPartitionDto[];
}

export const ZOOKEEPER_MODES = ['leader', 'follower', 'observer', 'standalone', 'read-only', 'not-serving', 'down', 'unknown'] as const;
export type ZooKeeperMode = (typeof ZOOKEEPER_MODES)[number];

export class ZooKeeperServerDto {
  @ApiProperty({ type: String, description: 'host:port as the agent is configured.', example: 'zk1:2181' })
  server!: string;

  @bool('The process answers (zookeeper_server_up).')
  up!: boolean | null;

  @ApiProperty({
    enum: ZOOKEEPER_MODES,
    description: 'Role (zookeeper_server_state): not-serving means running without a quorum; down means not answering; unknown means not reported.',
  })
  mode!: ZooKeeperMode;

  @num('zookeeper_request_latency_avg_seconds')
  latencyAvgSeconds!: number | null;

  @num('zookeeper_request_latency_max_seconds')
  latencyMaxSeconds!: number | null;

  @num('zookeeper_outstanding_requests')
  outstandingRequests!: number | null;

  @num('zookeeper_alive_connections')
  connections!: number | null;

  @num('zookeeper_znodes')
  znodes!: number | null;

  @num('zookeeper_watches')
  watches!: number | null;

  @num('zookeeper_zxid_epoch')
  zxidEpoch!: number | null;
}

export class ZooKeeperDto extends ZooKeeperSummaryDto {
  @num('zookeeper_servers_serving', 3)
  serversServing!: number | null;

  @num('Leader changes seen by the agent since it started (zookeeper_leader_changes_total).', 0)
  leaderChanges!: number | null;

  @bool('The last create/read/delete probe succeeded (zookeeper_probe_success).')
  probeSuccess!: boolean | null;

  @num('zookeeper_probe_latency_seconds')
  probeLatencySeconds!: number | null;

  @num('Broker id in /controller (zookeeper_kafka_controller_id); null when missing.')
  kafkaController!: number | null;

  @num('zookeeper_kafka_brokers_registered')
  kafkaBrokersRegistered!: number | null;

  @ApiProperty({ type: [ZooKeeperServerDto] })
  servers!: ZooKeeperServerDto[];
}

export class AlertDto {
  @ApiProperty({ type: String })
  id!: string;

  @ApiProperty({ type: String })
  rule!: string;

  @ApiProperty({ enum: ALERT_STATES })
  state!: string;

  @ApiProperty({ enum: ALERT_SEVERITIES })
  severity!: string;

  @ApiProperty({ type: String })
  cluster!: string;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  labels!: Record<string, string>;

  @ApiProperty({ type: String })
  message!: string;

  @ApiProperty({ type: Number, nullable: true })
  value!: number | null;

  @ApiProperty({ type: Number, description: 'When it became pending (ms since the epoch).' })
  startsAt!: number;

  @ApiProperty({ type: Number, description: 'When this state was reached (ms since the epoch).' })
  at!: number;

  @ApiProperty({ type: Number, nullable: true, required: false, description: 'When it started firing (ms since the epoch); null while pending and for a pending alert that cleared.' })
  firedAt?: number | null;

  @ApiProperty({ type: Number, example: 1 })
  schemaVersion!: number;
}
