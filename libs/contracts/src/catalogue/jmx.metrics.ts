import { defineMetric, MetricDefinition, MetricGroup } from './metric-definition';

const m = defineMetric;

/**
 * What brokers report about themselves over JMX, read through Jolokia or a Prometheus JMX exporter
 * (both give the same series). `broker` is the broker id: from the `kafka.server:type=app-info,id=N`
 * MBean with Jolokia; with the exporter (whose standard rules do not export it) the `#broker=N`
 * fragment of its URL, else its 1-based position in the configured list. Rates are computed by the
 * agent from the brokers' running counts between two collections, so they appear from the second
 * collection on and reset when a broker restarts.
 */
export const jmxMetrics = {
  up: m({ name: 'kafka_broker_jmx_up', type: 'gauge', unit: 'boolean', labels: ['broker'], help: "1 when the broker's JMX endpoint (Jolokia or exporter) answered this collection, 0 when it did not; no other JMX metric is sent for a broker at 0. Every JMX metric's broker label is the broker id: from the app-info MBean with Jolokia, from the exporter URL's #broker=N fragment or else its 1-based position in the list.", healthy: '1 for every broker.' }),
  scrapeErrors: m({ name: 'kafka_broker_jmx_scrape_errors_total', type: 'counter', unit: 'count', labels: ['broker'], help: "Collections in which the broker's JMX endpoint did not answer, timed out or sent something unreadable, since the agent started.", healthy: 'Not increasing.' }),
  scrapeDuration: m({ name: 'kafka_broker_jmx_scrape_duration_seconds', type: 'gauge', unit: 'seconds', labels: ['broker'], help: 'How long reading the JMX endpoint took (one Jolokia bulk request, or one exporter scrape).', healthy: 'Well below 1 s for Jolokia; an exporter walks every MBean and takes longer.' }),

  bytesIn: m({ name: 'kafka_broker_bytes_in_per_second', type: 'rate', unit: 'bytes/s', labels: ['broker'], help: 'Bytes producers wrote to the broker, all topics (BrokerTopicMetrics BytesInPerSec; replication traffic excluded). Like every JMX rate here, computed by the agent from the change of the MBean running count between two collections: absent on the first collection and right after a broker restart.', healthy: 'Whatever the producers send; about even across brokers.' }),
  bytesOut: m({ name: 'kafka_broker_bytes_out_per_second', type: 'rate', unit: 'bytes/s', labels: ['broker'], help: 'Bytes consumers read from the broker, all topics (BytesOutPerSec; replication traffic excluded).', healthy: 'Whatever the consumers read; about even across brokers.' }),
  messagesIn: m({ name: 'kafka_broker_messages_in_per_second', type: 'rate', unit: 'messages/s', labels: ['broker'], help: 'Messages appended to partitions this broker leads (MessagesInPerSec).', healthy: 'About even across brokers; 0 on a broker that leads nothing.' }),
  topicBytesIn: m({ name: 'kafka_broker_topic_bytes_in_per_second', type: 'rate', unit: 'bytes/s', labels: ['broker', 'topic'], help: 'Bytes producers wrote to the topic on this broker.', healthy: 'Spread across the brokers leading its partitions.' }),
  topicBytesOut: m({ name: 'kafka_broker_topic_bytes_out_per_second', type: 'rate', unit: 'bytes/s', labels: ['broker', 'topic'], help: 'Bytes consumers read from the topic on this broker.', healthy: 'Present where the topic has consumers.' }),
  topicMessagesIn: m({ name: 'kafka_broker_topic_messages_in_per_second', type: 'rate', unit: 'messages/s', labels: ['broker', 'topic'], help: 'Messages appended to the topic on this broker.', healthy: 'Whatever the producers send.' }),
  topicLogSize: m({ name: 'kafka_broker_topic_log_size_bytes', type: 'gauge', unit: 'bytes', labels: ['broker', 'topic'], help: "Disk used by the topic's partition replicas on this broker (sum of kafka.log Log Size over its partitions).", healthy: 'Bounded by retention; growing without bound means retention is not deleting.' }),
  produceRequests: m({ name: 'kafka_broker_produce_requests_per_second', type: 'rate', unit: 'requests/s', labels: ['broker'], help: 'Produce requests the broker handled (TotalProduceRequestsPerSec).', healthy: 'Steady under steady load.' }),
  fetchRequests: m({ name: 'kafka_broker_fetch_requests_per_second', type: 'rate', unit: 'requests/s', labels: ['broker'], help: 'Fetch requests from consumers and followers (TotalFetchRequestsPerSec).', healthy: 'Steady under steady load.' }),
  failedProduceRequests: m({ name: 'kafka_broker_failed_produce_requests_per_second', type: 'rate', unit: 'requests/s', labels: ['broker'], help: 'Produce requests that failed (FailedProduceRequestsPerSec): not enough in-sync replicas, record too large, not leader…', healthy: '0.' }),
  failedFetchRequests: m({ name: 'kafka_broker_failed_fetch_requests_per_second', type: 'rate', unit: 'requests/s', labels: ['broker'], help: 'Fetch requests that failed (FailedFetchRequestsPerSec).', healthy: '0.' }),

  underReplicated: m({ name: 'kafka_broker_under_replicated_partitions', type: 'gauge', unit: 'count', labels: ['broker'], help: 'Partitions this broker leads whose followers are not all in sync (ReplicaManager UnderReplicatedPartitions).', healthy: '0.' }),
  underMinIsr: m({ name: 'kafka_broker_under_min_isr_partitions', type: 'gauge', unit: 'count', labels: ['broker'], help: 'Partitions this broker leads with fewer in-sync replicas than min.insync.replicas: acks=all producers fail (UnderMinIsrPartitionCount).', healthy: '0.' }),
  partitions: m({ name: 'kafka_broker_partition_count', type: 'gauge', unit: 'count', labels: ['broker'], help: 'Partition replicas the broker hosts, as it reports itself (ReplicaManager PartitionCount).', healthy: 'About even across brokers; equal to kafka_broker_replica_partitions.' }),
  leaders: m({ name: 'kafka_broker_leader_count', type: 'gauge', unit: 'count', labels: ['broker'], help: 'Partitions the broker leads, as it reports itself (ReplicaManager LeaderCount).', healthy: 'About even across brokers.' }),
  isrShrinks: m({ name: 'kafka_broker_isr_shrinks_per_second', type: 'rate', unit: 'shrinks/s', labels: ['broker'], help: 'Followers dropped from in-sync replica sets of partitions this broker leads (IsrShrinksPerSec).', healthy: '0 outside broker restarts.' }),
  isrExpands: m({ name: 'kafka_broker_isr_expands_per_second', type: 'rate', unit: 'expands/s', labels: ['broker'], help: 'Followers that caught up and rejoined in-sync replica sets (IsrExpandsPerSec).', healthy: '0 outside broker restarts; matches the shrinks.' }),
  requestHandlerIdle: m({ name: 'kafka_broker_request_handler_idle_ratio', type: 'gauge', unit: 'ratio', labels: ['broker'], help: "Share of time the request handler threads were idle since the previous collection (from RequestHandlerAvgIdlePercent's running count of idle nanoseconds).", healthy: 'Above 0.3; near 0 the broker is saturated.' }),
  networkProcessorIdle: m({ name: 'kafka_broker_network_processor_idle_ratio', type: 'gauge', unit: 'ratio', labels: ['broker'], help: 'Share of time the network threads are idle (SocketServer NetworkProcessorAvgIdlePercent).', healthy: 'Above 0.3; near 0 the network threads are saturated.' }),
  requestQueueSize: m({ name: 'kafka_broker_request_queue_size', type: 'gauge', unit: 'requests', labels: ['broker'], help: 'Requests waiting for a request handler thread (RequestChannel RequestQueueSize).', healthy: 'Near 0.' }),
  requestTimeP50: m({ name: 'kafka_broker_request_time_p50_seconds', type: 'gauge', unit: 'seconds', labels: ['broker', 'request'], help: 'Median total time of a request, from arrival to response sent (RequestMetrics TotalTimeMs 50th percentile, over the last minutes). request: Produce, FetchConsumer or FetchFollower.', healthy: 'Produce a few ms; fetches close to fetch.max.wait.ms when idle.' }),
  requestTimeP99: m({ name: 'kafka_broker_request_time_p99_seconds', type: 'gauge', unit: 'seconds', labels: ['broker', 'request'], help: '99th percentile of the total request time (TotalTimeMs 99thPercentile). request: Produce, FetchConsumer or FetchFollower.', healthy: 'Produce under about 100 ms.' }),
  replicaMaxLag: m({ name: 'kafka_broker_replica_fetcher_max_lag', type: 'gauge', unit: 'messages', labels: ['broker'], help: 'How far behind its leaders the most lagging partition this broker follows is (ReplicaFetcherManager MaxLag).', healthy: 'Near 0.' }),
  offlineLogDirs: m({ name: 'kafka_broker_offline_log_dirs', type: 'gauge', unit: 'count', labels: ['broker'], help: 'Log directories the broker took offline after disk errors (LogManager OfflineLogDirectoryCount).', healthy: '0.' }),
  heapUsed: m({ name: 'kafka_broker_jvm_heap_used_bytes', type: 'gauge', unit: 'bytes', labels: ['broker'], help: "Heap the broker's JVM uses now.", healthy: 'Sawtooth well below the maximum.' }),
  heapMax: m({ name: 'kafka_broker_jvm_heap_max_bytes', type: 'gauge', unit: 'bytes', labels: ['broker'], help: "The broker JVM's maximum heap (-Xmx).", healthy: 'Constant.' }),
  gcCollections: m({ name: 'kafka_broker_jvm_gc_collections_total', type: 'counter', unit: 'count', labels: ['broker', 'gc'], help: 'Garbage collections since the broker started, per collector (gc: the JVM collector name, e.g. G1 Young Generation).', healthy: 'Old-generation collections rare.' }),
  gcTime: m({ name: 'kafka_broker_jvm_gc_time_seconds_total', type: 'counter', unit: 'seconds', labels: ['broker', 'gc'], help: 'Time spent in garbage collection since the broker started, per collector.', healthy: 'Growing by well under 5% of wall time.' }),
  zookeeperConnected: m({ name: 'kafka_broker_zookeeper_connected', type: 'gauge', unit: 'boolean', labels: ['broker'], help: "1 when a ZooKeeper-mode broker's ZooKeeper session state is CONNECTED, 0 in any other state (CONNECTING, CONNECTEDREADONLY, AUTH_FAILED, CLOSED…). Jolokia only: the exporter does not export text values.", healthy: '1 on every ZooKeeper-mode broker.' }),
  zookeeperExpires: m({ name: 'kafka_broker_zookeeper_session_expires_total', type: 'counter', unit: 'count', labels: ['broker'], help: "Expirations of the broker's ZooKeeper session since it started (SessionExpireListener ZooKeeperExpiresPerSec). Each one makes the broker re-register and may move the controller.", healthy: 'Not increasing.' }),

  activeController: m({ name: 'kafka_controller_active_count', type: 'gauge', unit: 'count', labels: ['broker'], help: '1 on the broker that is the active controller, 0 elsewhere (KafkaController ActiveControllerCount).', healthy: 'Exactly one broker at 1 (the sum over brokers is 1).' }),
  offlinePartitions: m({ name: 'kafka_controller_offline_partitions', type: 'gauge', unit: 'count', labels: ['broker'], help: 'Partitions without a live leader, counted by the active controller (OfflinePartitionsCount; 0 on the other brokers).', healthy: '0.' }),
  leaderElections: m({ name: 'kafka_controller_leader_elections_per_second', type: 'rate', unit: 'elections/s', labels: ['broker'], help: 'Partition leader elections run by this broker while it is the ZooKeeper-mode controller (LeaderElectionRateAndTimeMs; absent on KRaft).', healthy: '0 outside broker restarts.' }),
  uncleanLeaderElections: m({ name: 'kafka_controller_unclean_leader_elections_total', type: 'counter', unit: 'count', labels: ['broker'], help: 'Out-of-sync replicas this broker made leader while it was the controller, since it started: each one loses messages (UncleanLeaderElectionsPerSec count).', healthy: '0.' }),

  raftCurrentLeader: m({ name: 'kafka_raft_current_leader', type: 'gauge', unit: 'node id', labels: ['broker'], help: 'The KRaft metadata quorum leader as this node sees it (raft-metrics current-leader); -1 when there is none. KRaft nodes only.', healthy: 'The same id on every node; changes rarely.' }),
  raftCurrentEpoch: m({ name: 'kafka_raft_current_epoch', type: 'gauge', unit: 'epoch', labels: ['broker'], help: 'The quorum epoch this node is in (current-epoch); it increases with every leader election.', healthy: 'Equal on every node; rising slowly.' }),
  raftHighWatermark: m({ name: 'kafka_raft_high_watermark', type: 'gauge', unit: 'offset', labels: ['broker'], help: 'Offset up to which the metadata log is committed, as this node knows it (high-watermark).', healthy: 'Rising together on every node.' }),
  raftCommitLatency: m({ name: 'kafka_raft_commit_latency_avg_seconds', type: 'gauge', unit: 'seconds', labels: ['broker'], help: 'Average time to commit a metadata log entry (commit-latency-avg); reported by the quorum leader.', healthy: 'Milliseconds to tens of milliseconds.' }),
  raftUnknownVoterConnections: m({ name: 'kafka_raft_unknown_voter_connections', type: 'gauge', unit: 'count', labels: ['broker'], help: 'Voters this node has no connection details for (number-unknown-voter-connections).', healthy: '0.' }),
} as const satisfies Record<string, MetricDefinition>;

export const jmxMetricGroup: MetricGroup = {
  collector: 'jmx',
  title: 'Broker JMX (Jolokia, Prometheus JMX exporter)',
  metrics: Object.values(jmxMetrics),
};
