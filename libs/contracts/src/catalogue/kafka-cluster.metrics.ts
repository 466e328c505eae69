import { defineMetric, MetricGroup } from './metric-definition';

const m = defineMetric;

/** Cluster state read through the Kafka protocol (kafkajs admin). */
export const kafkaClusterMetrics = {
  brokersUp: m({ name: 'kafka_brokers_up', type: 'gauge', unit: 'count', labels: [], help: 'Brokers registered in the cluster metadata right now.', healthy: 'Equal to kafka_brokers_known.' }),
  brokersKnown: m({ name: 'kafka_brokers_known', type: 'gauge', unit: 'count', labels: [], help: 'Brokers the agent has seen up since it started, plus any broker named as a replica.', healthy: 'The size of the cluster.' }),
  brokerUp: m({ name: 'kafka_broker_up', type: 'gauge', unit: 'boolean', labels: ['broker'], help: '1 when the broker is registered in the cluster metadata, 0 when it is known but missing.', healthy: '1 for every broker.' }),
  brokerLeaderPartitions: m({ name: 'kafka_broker_leader_partitions', type: 'gauge', unit: 'count', labels: ['broker'], help: 'Partitions this broker leads, from the cluster metadata.', healthy: 'About equal across brokers.' }),
  brokerReplicaPartitions: m({ name: 'kafka_broker_replica_partitions', type: 'gauge', unit: 'count', labels: ['broker'], help: 'Partition replicas assigned to this broker.', healthy: 'About equal across brokers.' }),
  controllerId: m({ name: 'kafka_controller_id', type: 'gauge', unit: 'broker id', labels: [], help: 'Broker id of the active controller; -1 when there is none.', healthy: 'A live broker id; changes rarely.' }),
  topics: m({ name: 'kafka_topics', type: 'gauge', unit: 'count', labels: [], help: 'Topics in the cluster, internal ones included.', healthy: 'Stable.' }),
  partitions: m({ name: 'kafka_partitions', type: 'gauge', unit: 'count', labels: [], help: 'Partitions in the cluster.', healthy: 'Stable.' }),
  underReplicated: m({ name: 'kafka_under_replicated_partitions', type: 'gauge', unit: 'count', labels: [], help: 'Partitions whose in-sync replica set is smaller than their replica set.', healthy: '0.' }),
  offline: m({ name: 'kafka_offline_partitions', type: 'gauge', unit: 'count', labels: [], help: 'Partitions without a leader: nobody can read or write them.', healthy: '0.' }),
  underMinIsr: m({ name: 'kafka_under_min_isr_partitions', type: 'gauge', unit: 'count', labels: [], help: "Partitions with fewer in-sync replicas than their topic's min.insync.replicas: producers with acks=all fail.", healthy: '0.' }),
  preferredLeaderImbalance: m({ name: 'kafka_preferred_leader_imbalance', type: 'gauge', unit: 'count', labels: [], help: 'Partitions not led by their preferred (first) replica.', healthy: '0 (a broker restart raises it until leaders are rebalanced).' }),
  topicPartitions: m({ name: 'kafka_topic_partitions', type: 'gauge', unit: 'count', labels: ['topic'], help: 'Partitions of the topic.', healthy: 'Stable.' }),
  topicReplicationFactor: m({ name: 'kafka_topic_replication_factor', type: 'gauge', unit: 'count', labels: ['topic'], help: 'Replicas per partition (of its first partition).', healthy: '3 for production topics.' }),
  topicMinInsyncReplicas: m({ name: 'kafka_topic_min_insync_replicas', type: 'gauge', unit: 'count', labels: ['topic'], help: "The topic's min.insync.replicas setting.", healthy: 'Replication factor minus one.' }),
  topicUnderReplicated: m({ name: 'kafka_topic_under_replicated_partitions', type: 'gauge', unit: 'count', labels: ['topic'], help: 'Under-replicated partitions of the topic.', healthy: '0.' }),
  topicOffline: m({ name: 'kafka_topic_offline_partitions', type: 'gauge', unit: 'count', labels: ['topic'], help: 'Partitions of the topic without a leader.', healthy: '0.' }),
  topicUnderMinIsr: m({ name: 'kafka_topic_under_min_isr_partitions', type: 'gauge', unit: 'count', labels: ['topic'], help: 'Partitions of the topic below min.insync.replicas.', healthy: '0.' }),
  topicMessagesIn: m({ name: 'kafka_topic_messages_in_per_second', type: 'rate', unit: 'messages/s', labels: ['topic'], help: 'Messages appended to the topic per second, from the change of its log-end offsets between two collections.', healthy: 'Whatever the producers send; a drop to 0 on a busy topic means producers stopped.' }),
  partitionLeader: m({ name: 'kafka_partition_leader', type: 'gauge', unit: 'broker id', labels: ['topic', 'partition'], help: 'Broker leading the partition; -1 when offline.', healthy: 'The preferred replica.' }),
  partitionInSyncReplicas: m({ name: 'kafka_partition_in_sync_replicas', type: 'gauge', unit: 'count', labels: ['topic', 'partition'], help: 'Replicas in sync with the leader.', healthy: 'Equal to the replication factor.' }),
  partitionReplicaInSync: m({ name: 'kafka_partition_replica_in_sync', type: 'gauge', unit: 'boolean', labels: ['topic', 'partition', 'broker'], help: 'One series per assigned replica of the partition: 1 while that broker is in the in-sync replica set, 0 while it is out of it (down or lagging).', healthy: '1.' }),
  partitionUnderReplicated: m({ name: 'kafka_partition_under_replicated', type: 'gauge', unit: 'boolean', labels: ['topic', 'partition'], help: '1 while the partition is under-replicated.', healthy: '0.' }),
  partitionLogEndOffset: m({ name: 'kafka_partition_log_end_offset', type: 'counter', unit: 'offset', labels: ['topic', 'partition'], help: 'Offset of the next message to be written (latest offset).', healthy: 'Rising on active topics.' }),
  partitionLogStartOffset: m({ name: 'kafka_partition_log_start_offset', type: 'gauge', unit: 'offset', labels: ['topic', 'partition'], help: 'Earliest offset still retained.', healthy: 'Advances as retention deletes old segments.' }),
  collectionUp: m({ name: 'kafka_cluster_reachable', type: 'gauge', unit: 'boolean', labels: [], help: '1 when the agent could read the cluster metadata in this collection, 0 when no broker answered.', healthy: '1.' }),
} as const;

export const kafkaClusterMetricGroup: MetricGroup = {
  collector: 'kafka-cluster',
  title: 'Kafka cluster state (Kafka protocol)',
  metrics: Object.values(kafkaClusterMetrics),
};
