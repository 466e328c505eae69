import { defineMetric, MetricDefinition, MetricGroup } from './metric-definition';

const m = defineMetric;

const server = ['server'] as const;
/** Where a per-server statistic comes from, said once in every help text that it applies to. */
const fromMntr = 'From mntr, or from the AdminServer /commands/monitor when mntr is not whitelisted; absent when neither answers.';

/**
 * ZooKeeper servers (four-letter words, AdminServer), the ensemble they form, and the znodes Kafka
 * keeps there. Per-server metrics carry `server` = host:port exactly as configured.
 */
export const zookeeperMetrics = {
  // Per server: reachability and where the numbers come from
  serverUp: m({ name: 'zookeeper_server_up', type: 'gauge', unit: 'boolean', labels: server, help: '1 when the server process answers (ruok → imok, any other four-letter word, or its AdminServer); 0 when it does not answer at all.', healthy: '1 for every server.' }),
  mntrAvailable: m({ name: 'zookeeper_mntr_available', type: 'gauge', unit: 'boolean', labels: server, help: 'Whether the mntr four-letter word works on this server: 0 when the server refuses it (not in 4lw.commands.whitelist) or does not answer it. A 0 on a server that is up is a configuration error: the per-server statistics then come from the AdminServer, or are missing.', healthy: '1 for every server.' }),
  statsSource: m({ name: 'zookeeper_stats_source', type: 'gauge', unit: 'state', labels: server, help: 'Where this collection got the server statistics from: 0 nowhere (only up, state, zxid and version are known, if that), 1 the mntr four-letter word, 2 the AdminServer /commands/monitor.', healthy: '1 (2 works, but means mntr is off).' }),
  // Per server: role and identity (srvr, or mntr / AdminServer)
  serverState: m({ name: 'zookeeper_server_state', type: 'gauge', unit: 'state', labels: server, help: "The server's role: 0 not serving (looking for a leader, no quorum), 1 follower, 2 leader, 3 observer, 4 standalone, 5 read-only. Absent when the server does not answer.", healthy: 'One server 2, the others 1 (or 3 for observers); 4 for a single-server setup.' }),
  serverIsLeader: m({ name: 'zookeeper_server_is_leader', type: 'gauge', unit: 'boolean', labels: server, help: 'The ensemble leader as a status timeline: 1 on the server that is leader now, 0 on the others that answer; absent for servers that do not answer. A leader change shows as the 1 moving to another series.', healthy: 'Exactly one server at 1, rarely moving.' }),
  zxidEpoch: m({ name: 'zookeeper_zxid_epoch', type: 'gauge', unit: 'epoch', labels: server, help: 'Leader epoch of the last transaction the server processed (high 32 bits of the zxid, from srvr or the AdminServer). It goes up by one with every leader election.', healthy: 'The same on every server; steps up only on elections.' }),
  zxidCounter: m({ name: 'zookeeper_zxid_counter', type: 'gauge', unit: 'transactions', labels: server, help: 'Transaction counter within the epoch of the last processed zxid (low 32 bits). Restarts from 0 with every new epoch.', healthy: 'Followers close behind the leader; rising while clients write.' }),
  version: m({ name: 'zookeeper_server_version', type: 'gauge', unit: 'version code', labels: server, help: 'ZooKeeper version as major×10000 + minor×100 + patch (3.8.4 → 30804), a number rather than a label so a mixed-version ensemble shows on one chart.', healthy: 'The same on every server.' }),
  // Per server: statistics from mntr or the AdminServer
  latencyAvg: m({ name: 'zookeeper_request_latency_avg_seconds', type: 'gauge', unit: 'seconds', labels: server, help: `Average time the server took to answer a client request since it started (or since stats were reset). ${fromMntr}`, healthy: 'A few milliseconds; steady.' }),
  latencyMin: m({ name: 'zookeeper_request_latency_min_seconds', type: 'gauge', unit: 'seconds', labels: server, help: `Fastest client request since the server started. ${fromMntr}`, healthy: 'About 0.' }),
  latencyMax: m({ name: 'zookeeper_request_latency_max_seconds', type: 'gauge', unit: 'seconds', labels: server, help: `Slowest client request since the server started: one slow fsync or GC pause shows here. ${fromMntr}`, healthy: 'Under a second (Kafka sessions time out after 18 s).' }),
  outstandingRequests: m({ name: 'zookeeper_outstanding_requests', type: 'gauge', unit: 'count', labels: server, help: `Requests queued in the server and not yet answered. ${fromMntr}`, healthy: '0, or briefly a handful.' }),
  aliveConnections: m({ name: 'zookeeper_alive_connections', type: 'gauge', unit: 'count', labels: server, help: `Client connections open on this server (brokers, agents, tools). ${fromMntr}`, healthy: 'Stable; spread over the servers.' }),
  znodes: m({ name: 'zookeeper_znodes', type: 'gauge', unit: 'count', labels: server, help: `Znodes in the server's copy of the data tree. ${fromMntr}`, healthy: 'The same on every server; grows with topics and partitions.' }),
  watches: m({ name: 'zookeeper_watches', type: 'gauge', unit: 'count', labels: server, help: `Watches set by this server's clients. ${fromMntr}`, healthy: 'Stable.' }),
  ephemerals: m({ name: 'zookeeper_ephemerals', type: 'gauge', unit: 'count', labels: server, help: `Ephemeral znodes (broker registrations, the controller, locks) in the data tree. ${fromMntr}`, healthy: 'At least one per live broker plus the controller.' }),
  approximateDataSize: m({ name: 'zookeeper_approximate_data_size_bytes', type: 'gauge', unit: 'bytes', labels: server, help: `Approximate size of the data tree (paths and data). ${fromMntr}`, healthy: 'Far below the heap size; grows slowly.' }),
  openFileDescriptors: m({ name: 'zookeeper_open_file_descriptors', type: 'gauge', unit: 'count', labels: server, help: `File descriptors the server process has open. ${fromMntr}`, healthy: 'Well under zookeeper_max_file_descriptors.' }),
  maxFileDescriptors: m({ name: 'zookeeper_max_file_descriptors', type: 'gauge', unit: 'count', labels: server, help: `The process's file descriptor limit. ${fromMntr}`, healthy: 'Tens of thousands.' }),
  packetsReceived: m({ name: 'zookeeper_packets_received_total', type: 'counter', unit: 'packets', labels: server, help: `Client packets received since the server started (or since stats were reset). ${fromMntr}`, healthy: 'Rising; take the rate.' }),
  packetsSent: m({ name: 'zookeeper_packets_sent_total', type: 'counter', unit: 'packets', labels: server, help: `Client packets sent since the server started (or since stats were reset). ${fromMntr}`, healthy: 'Rising; take the rate.' }),
  uptime: m({ name: 'zookeeper_uptime_seconds', type: 'gauge', unit: 'seconds', labels: server, help: `Time since the server (re)started serving. ${fromMntr}`, healthy: 'Rising; a drop is a restart.' }),
  followers: m({ name: 'zookeeper_followers', type: 'gauge', unit: 'count', labels: server, help: `Learners (followers and observers) connected to this server; only the leader reports it. ${fromMntr}`, healthy: 'Ensemble size minus one.' }),
  syncedFollowers: m({ name: 'zookeeper_synced_followers', type: 'gauge', unit: 'count', labels: server, help: `Voting followers in sync with this server; only the leader reports it. ${fromMntr}`, healthy: 'Ensemble size minus one.' }),
  pendingSyncs: m({ name: 'zookeeper_pending_syncs', type: 'gauge', unit: 'count', labels: server, help: `Followers still being synchronised by this server; only the leader reports it. ${fromMntr}`, healthy: '0.' }),
  // The ensemble (no labels)
  serversConfigured: m({ name: 'zookeeper_servers_configured', type: 'gauge', unit: 'count', labels: [], help: 'ZooKeeper servers the agent is configured to watch.', healthy: 'The ensemble size (3 or 5).' }),
  serversUp: m({ name: 'zookeeper_servers_up', type: 'gauge', unit: 'count', labels: [], help: 'Servers whose process answers (zookeeper_server_up = 1).', healthy: 'Equal to zookeeper_servers_configured.' }),
  serversServing: m({ name: 'zookeeper_servers_serving', type: 'gauge', unit: 'count', labels: [], help: 'Servers that serve clients (leader, follower, observer or standalone). Fewer than zookeeper_servers_up means servers that run but have no quorum.', healthy: 'Equal to zookeeper_servers_configured.' }),
  quorum: m({ name: 'zookeeper_quorum_up', type: 'gauge', unit: 'boolean', labels: [], help: 'Whether the ensemble can serve writes: 1 when a leader answers and it plus its synced followers are a majority of the ensemble (the leader-reported ensemble size, else the servers configured). 0 means Kafka cannot change anything in ZooKeeper: no new controller, no topic changes, no ISR updates.', healthy: '1. Also watch how many servers may still fail: a majority of the ensemble must stay up.' }),
  ensembleFollowers: m({ name: 'zookeeper_ensemble_followers', type: 'gauge', unit: 'count', labels: [], help: 'Learners connected to the leader, as the leader reports them; absent when there is no leader or it reports no statistics.', healthy: 'Ensemble size minus one.' }),
  ensembleSyncedFollowers: m({ name: 'zookeeper_ensemble_synced_followers', type: 'gauge', unit: 'count', labels: [], help: 'Voting followers in sync with the leader, as the leader reports them; absent when there is no leader or it reports no statistics.', healthy: 'Ensemble size minus one.' }),
  leaderChanges: m({ name: 'zookeeper_leader_changes_total', type: 'counter', unit: 'elections', labels: [], help: 'Leader changes the agent has seen since it started: another server became leader, or the same one won a new election (new zxid epoch).', healthy: 'Flat; each step is an election, during which ZooKeeper served nobody.' }),
  // Kafka's znodes, read through a ZooKeeper session
  kafkaBrokersRegistered: m({ name: 'zookeeper_kafka_brokers_registered', type: 'gauge', unit: 'count', labels: [], help: 'Broker registrations under /brokers/ids (ephemeral: a broker that loses its ZooKeeper session disappears from here).', healthy: 'Equal to zookeeper_kafka_brokers_in_metadata and to the number of brokers.' }),
  kafkaBrokersInMetadata: m({ name: 'zookeeper_kafka_brokers_in_metadata', type: 'gauge', unit: 'count', labels: [], help: 'Brokers the Kafka cluster metadata lists (kafkajs describeCluster), read at the same time as /brokers/ids.', healthy: 'Equal to zookeeper_kafka_brokers_registered.' }),
  kafkaBrokerMismatch: m({ name: 'zookeeper_kafka_broker_registration_mismatch', type: 'gauge', unit: 'count', labels: [], help: 'Broker ids registered in ZooKeeper but missing from the Kafka metadata, plus the reverse. Briefly non-zero while a broker joins or leaves; lasting, it means the controller does not see ZooKeeper correctly.', healthy: '0.' }),
  kafkaControllerId: m({ name: 'zookeeper_kafka_controller_id', type: 'gauge', unit: 'broker id', labels: [], help: 'Broker id in the /controller znode; -1 when the znode is missing (no controller elected).', healthy: 'A live broker id, equal to kafka_controller_id.' }),
  // Synthetic probe
  probeSuccess: m({ name: 'zookeeper_probe_success', type: 'gauge', unit: 'boolean', labels: [], help: "1 when the agent could create an ephemeral znode (under /doflamingo-probe), read it back and delete it within the call timeout, through its ZooKeeper session; 0 otherwise. What Kafka's controller needs from ZooKeeper, tested end to end.", healthy: '1.' }),
  probeLatency: m({ name: 'zookeeper_probe_latency_seconds', type: 'gauge', unit: 'seconds', labels: [], help: 'Time the last successful probe took for create, read and delete together (each write goes through the leader and a quorum). Absent when the probe failed.', healthy: 'Tens of milliseconds.' }),
} as const satisfies Record<string, MetricDefinition>;

export const zookeeperMetricGroup: MetricGroup = {
  collector: 'zookeeper',
  title: 'ZooKeeper servers and ensemble',
  metrics: Object.values(zookeeperMetrics),
};
