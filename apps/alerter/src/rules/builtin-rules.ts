import { CONSUMER_STATUS_CODE } from '@doflamingo/contracts';
import { AlertRuleInput } from './alert-rule';

/**
 * The rules every installation gets (docs/alerts.md explains each one and its thresholds). A user
 * rule with the same name replaces one; `disable:` in the rules file switches one off.
 *
 * Thresholds lean towards "never cry wolf": a condition must be seen on a real sample (agents
 * report every 5–10 s), and every alert needs its condition gone for `clearFor` before it resolves.
 */
export const BUILTIN_RULES: AlertRuleInput[] = [
  // Brokers
  {
    name: 'kafka-broker-down',
    metric: 'kafka_broker_up',
    op: '==',
    threshold: 0,
    severity: 'critical',
    message: 'Kafka broker {{broker}} of {{cluster}} has left the cluster metadata',
  },
  {
    // A dead broker refuses connections, a hung one (GC storm, SIGSTOP, full disk I/O) times out;
    // both stop answering JMX before the cluster metadata notices (a ZooKeeper session must expire first).
    name: 'kafka-broker-unresponsive',
    metric: 'kafka_broker_jmx_up',
    op: '==',
    threshold: 0,
    severity: 'critical',
    message: 'Kafka broker {{broker}} of {{cluster}} does not answer JMX: down or hung',
  },
  {
    name: 'kafka-active-controller-count',
    metric: 'kafka_controller_active_count',
    aggregate: 'sum',
    op: '!=',
    threshold: 1,
    for: '20s', // a controller move passes through 0 (or 2) for a moment
    severity: 'critical',
    message: '{{cluster}} has {{value}} active controllers (expected exactly 1)',
  },
  {
    name: 'kafka-offline-partitions',
    metric: 'kafka_offline_partitions',
    op: '>',
    threshold: 0,
    severity: 'critical',
    message: '{{value}} partitions of {{cluster}} have no leader: nobody can read or write them',
  },
  {
    name: 'kafka-under-replicated-partitions',
    metric: 'kafka_under_replicated_partitions',
    op: '>',
    threshold: 0,
    for: '2m', // a restarting broker catches up within this on a healthy cluster
    severity: 'warning',
    message: '{{value}} partitions of {{cluster}} have been under-replicated for 2 minutes',
  },
  {
    name: 'kafka-under-min-isr-partitions',
    metric: 'kafka_under_min_isr_partitions',
    op: '>',
    threshold: 0,
    for: '30s',
    severity: 'critical',
    message: '{{value}} partitions of {{cluster}} are under min.insync.replicas: producers with acks=all fail',
  },
  {
    name: 'kafka-unclean-leader-election',
    metric: 'kafka_controller_unclean_leader_elections_total',
    input: 'increase',
    window: '10m',
    op: '>',
    threshold: 0,
    severity: 'critical',
    message: 'Unclean leader election on {{cluster}} (controller {{broker}}): messages were lost',
  },
  {
    name: 'kafka-request-handlers-busy',
    metric: 'kafka_broker_request_handler_idle_ratio',
    op: '<',
    threshold: 0.3,
    clearThreshold: 0.4,
    for: '1m',
    severity: 'warning',
    message: 'Request handler threads of broker {{broker}} ({{cluster}}) are idle only {{value}} of the time (below 0.3)',
  },
  {
    name: 'kafka-network-processors-busy',
    metric: 'kafka_broker_network_processor_idle_ratio',
    op: '<',
    threshold: 0.3,
    clearThreshold: 0.4,
    for: '1m',
    severity: 'warning',
    message: 'Network threads of broker {{broker}} ({{cluster}}) are idle only {{value}} of the time (below 0.3)',
  },
  {
    name: 'kafka-log-dir-offline',
    metric: 'kafka_broker_offline_log_dirs',
    op: '>',
    threshold: 0,
    severity: 'critical',
    message: 'Broker {{broker}} ({{cluster}}) took {{value}} log directories offline after disk errors',
  },
  {
    name: 'kafka-disk-fills-soon',
    metric: 'kafka_broker_log_dir_free_bytes',
    input: 'predicted',
    window: '30m',
    horizon: '6h',
    op: '<',
    threshold: 0,
    for: '5m',
    clearFor: '10m',
    severity: 'warning',
    message: 'At the last 30 minutes\' rate, {{dir}} on broker {{broker}} ({{cluster}}) fills up within 6 hours',
  },
  // Consumer groups
  {
    name: 'kafka-consumer-group-error',
    metric: 'kafka_consumer_group_status',
    op: '>=',
    threshold: CONSUMER_STATUS_CODE.ERR,
    severity: 'critical',
    message: 'Consumer group {{group}} ({{cluster}}) is in ERR: a partition is stopped (STOP), stalled (STALL) or rewound (REWIND)',
  },
  {
    name: 'kafka-consumer-group-lag-seconds',
    metric: 'kafka_consumer_group_max_lag_seconds',
    op: '>',
    threshold: 600,
    clearThreshold: 300,
    for: '1m',
    severity: 'warning',
    message: 'Consumer group {{group}} ({{cluster}}) is {{value}} s behind (over 10 minutes)',
  },
  // ZooKeeper
  {
    name: 'zookeeper-quorum-lost',
    metric: 'zookeeper_quorum_up',
    op: '==',
    threshold: 0,
    severity: 'critical',
    message: 'The ZooKeeper ensemble of {{cluster}} has lost its quorum: Kafka cannot change metadata',
  },
  {
    name: 'zookeeper-leader-change',
    metric: 'zookeeper_leader_changes_total',
    input: 'increase',
    window: '5m',
    op: '>',
    threshold: 0,
    clearFor: 0,
    severity: 'warning',
    message: 'The ZooKeeper ensemble of {{cluster}} elected a new leader in the last 5 minutes',
  },
  {
    name: 'zookeeper-server-down',
    metric: 'zookeeper_server_up',
    op: '==',
    threshold: 0,
    severity: 'critical',
    message: 'ZooKeeper server {{server}} ({{cluster}}) does not answer',
  },
  {
    name: 'zookeeper-high-latency',
    metric: 'zookeeper_request_latency_avg_seconds',
    op: '>',
    threshold: 0.1,
    clearThreshold: 0.05,
    for: '1m',
    severity: 'warning',
    message: 'ZooKeeper server {{server}} ({{cluster}}) answers in {{value}} s on average (over 0.1 s)',
  },
  {
    name: 'zookeeper-outstanding-requests',
    metric: 'zookeeper_outstanding_requests',
    op: '>',
    threshold: 10,
    clearThreshold: 5,
    for: '30s',
    severity: 'warning',
    message: 'ZooKeeper server {{server}} ({{cluster}}) has {{value}} requests queued (over 10)',
  },
  {
    name: 'zookeeper-mntr-unavailable',
    metric: 'zookeeper_mntr_available',
    op: '==',
    threshold: 0,
    for: '10s',
    severity: 'info',
    message: 'ZooKeeper server {{server}} ({{cluster}}) refuses mntr (4lw.commands.whitelist): its statistics come from the AdminServer or not at all',
  },
];
