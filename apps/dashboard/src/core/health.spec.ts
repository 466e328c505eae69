import { brokerStates, clusterHealth, type ClusterSummary, consumerStatusBadge, ensembleHealth, formatValue, timeToCatchUpSeconds } from './health';

const NOW = 1_800_000_000_000;
const healthy = (over: Partial<ClusterSummary> = {}): ClusterSummary => ({
  name: 'prod',
  reachable: true,
  brokersUp: 3,
  brokersKnown: 3,
  controller: 1,
  topics: 10,
  partitions: 30,
  offlinePartitions: 0,
  underReplicatedPartitions: 0,
  underMinIsrPartitions: 0,
  zookeeper: { quorum: true, leader: 'zk2:2182', serversUp: 3, serversConfigured: 3 },
  firingAlerts: 0,
  lastSampleAt: NOW - 1000,
  ...over,
});

describe('clusterHealth', () => {
  it('calls a cluster with everything up and in sync healthy', () => {
    expect(clusterHealth(healthy(), NOW)).toEqual({ badge: { level: 'ok', shape: '●', text: 'HEALTHY' }, reasons: [] });
  });

  it('warns with the count when a broker is down and partitions are under-replicated', () => {
    const sut = clusterHealth(healthy({ brokersUp: 2, underReplicatedPartitions: 7 }), NOW);
    expect(sut.badge.level).toBe('warn');
    expect(sut.badge.shape).toBe('▲');
    expect(sut.reasons).toEqual(['1 of 3 brokers down', '7 under-replicated partitions']);
  });

  it('is critical for offline partitions or no controller, and lists critical reasons first', () => {
    const sut = clusterHealth(healthy({ offlinePartitions: 2, brokersUp: 1, controller: null }), NOW);
    expect(sut.badge).toEqual({ level: 'crit', shape: '■', text: 'CRITICAL' });
    expect(sut.reasons).toEqual(['2 offline partitions', 'no controller', '2 of 3 brokers down']);
  });

  it('leaves ZooKeeper to its own tile', () => {
    expect(clusterHealth(healthy({ zookeeper: { quorum: false, leader: null, serversUp: 1, serversConfigured: 3 } }), NOW).badge.level).toBe('ok');
  });

  it('names each down broker, and why, when per-broker states are given', () => {
    const states = brokerStates([
      { id: '1', up: true, jmxUp: true },
      { id: '2', up: true, jmxUp: false },
      { id: '3', up: false, jmxUp: false },
    ]);
    expect(clusterHealth(healthy({ brokersUp: 2 }), NOW, states).reasons).toEqual(['broker 2 down: not answering (JMX)', 'broker 3 down: not registered in the cluster']);
  });

  it('warns when the newest sample is older than the stale limit', () => {
    expect(clusterHealth(healthy({ lastSampleAt: NOW - 61_000 }), NOW).reasons).toEqual(['no fresh metrics']);
  });
});

describe('brokerStates', () => {
  it('is down when the metadata lost the broker or its JMX stopped answering; unknown without reports; JMX not collected does not count', () => {
    const sut = brokerStates([
      { id: '1', up: true, jmxUp: null },
      { id: '2', up: true, jmxUp: false },
      { id: '3', up: false, jmxUp: true },
      { id: '4', up: null, jmxUp: null },
    ]);
    expect(sut.map((b) => b.state)).toEqual(['up', 'down', 'down', 'unknown']);
  });
});

describe('ensembleHealth', () => {
  it('is healthy with all servers and a leader, warns with a server down, is critical without quorum', () => {
    expect(ensembleHealth({ quorum: true, leader: 'zk1:2181', serversUp: 3, serversConfigured: 3 }).badge.level).toBe('ok');
    expect(ensembleHealth({ quorum: true, leader: 'zk1:2181', serversUp: 2, serversConfigured: 3 })).toEqual({ badge: { level: 'warn', shape: '▲', text: 'WARNING' }, reasons: ['1 of 3 servers down'] });
    expect(ensembleHealth({ quorum: false, leader: null, serversUp: 1, serversConfigured: 3 }).reasons).toEqual(['no quorum: ZooKeeper cannot serve writes', '2 of 3 servers down']);
  });
});

describe('consumerStatusBadge', () => {
  it.each([
    ['OK', 'ok'],
    ['WARN', 'warn'],
    ['ERR', 'crit'],
    ['STALL', 'crit'],
    ['STOP', 'off'],
    ['REWIND', 'off'],
    [null, 'unknown'],
  ] as const)('%s → %s, with its name as the text', (status, level) => {
    const b = consumerStatusBadge(status);
    expect(b.level).toBe(level);
    expect(b.text).toBe(status ?? 'unknown');
  });
});

describe('formatValue and timeToCatchUpSeconds', () => {
  it('formats bytes in binary units, ratios as percent, sub-second times in ms', () => {
    expect(formatValue(1536, 'bytes')).toBe('1.5 KiB');
    expect(formatValue(0.873, 'ratio')).toBe('87.3 %');
    expect(formatValue(0.25, 'seconds')).toBe('250 ms');
    expect(formatValue(2_500_000, 'rate')).toBe('2.5M');
    expect(formatValue(null)).toBe('–');
  });

  it('divides the lag by how fast it shrinks; none when it does not shrink', () => {
    expect(timeToCatchUpSeconds(900, -45)).toBe(20);
    expect(timeToCatchUpSeconds(900, 45)).toBeNull();
    expect(timeToCatchUpSeconds(0, 45)).toBe(0);
  });
});
