/**
 * Status presentation: every status has a colour class AND a shape AND a word, so nothing depends
 * on telling red from green.
 */
export type Level = 'ok' | 'warn' | 'crit' | 'off' | 'unknown';

export interface Badge {
  level: Level;
  shape: string;
  text: string;
}

const SHAPES: Record<Level, string> = { ok: '●', warn: '▲', crit: '■', off: '◆', unknown: '○' };

export function badge(level: Level, text: string): Badge {
  return { level, shape: SHAPES[level], text };
}

/** Consumer status (OK, WARN, ERR, STOP, STALL, REWIND) as a badge. */
export function consumerStatusBadge(status: string | null): Badge {
  switch (status) {
    case 'OK':
      return badge('ok', 'OK');
    case 'WARN':
      return badge('warn', 'WARN');
    case 'ERR':
    case 'STALL':
      return badge('crit', status);
    case 'STOP':
    case 'REWIND':
      return badge('off', status);
    default:
      return badge('unknown', status ?? 'unknown');
  }
}

export interface ClusterSummary {
  name: string;
  reachable: boolean | null;
  brokersUp: number | null;
  brokersKnown: number | null;
  controller: number | null;
  topics: number | null;
  partitions: number | null;
  offlinePartitions: number | null;
  underReplicatedPartitions: number | null;
  underMinIsrPartitions: number | null;
  zookeeper: { quorum: boolean | null; leader: string | null; serversUp: number | null; serversConfigured: number | null } | null;
  firingAlerts: number;
  lastSampleAt: number;
}

/** One broker on the overview: up, or down with why (left the cluster, or registered but not answering). */
export interface BrokerState {
  id: string;
  state: 'up' | 'down' | 'unknown';
  why: string;
}

/**
 * A broker killed outright stays registered in the cluster metadata until its ZooKeeper session
 * expires (10–18 s); its JMX endpoint, which runs inside the broker's JVM, stops answering at the
 * next collection. Either signal marks it down, so the overview says so within one JMX interval.
 */
export function brokerStates(brokers: readonly { id: string; up: boolean | null; jmxUp: boolean | null }[]): BrokerState[] {
  return brokers.map((b) => {
    if (b.up === false) return { id: b.id, state: 'down', why: `broker ${b.id} down: not registered in the cluster` };
    if (b.jmxUp === false) return { id: b.id, state: 'down', why: `broker ${b.id} down: not answering (JMX)` };
    if (b.up === true) return { id: b.id, state: 'up', why: `broker ${b.id} up` };
    return { id: b.id, state: 'unknown', why: `broker ${b.id}: no report yet` };
  });
}

/**
 * A Kafka cluster tile's verdict and the reasons for it, worst first. `brokers`, when known,
 * replaces the metadata's up count with per-broker states (see brokerStates). ZooKeeper has its own tile.
 */
export function clusterHealth(c: ClusterSummary, now: number, brokers?: readonly BrokerState[], staleAfterMs = 60_000): { badge: Badge; reasons: string[] } {
  const crit: string[] = [];
  const warn: string[] = [];
  if (c.reachable === false) crit.push('cluster unreachable');
  if ((c.offlinePartitions ?? 0) > 0) crit.push(`${c.offlinePartitions} offline partitions`);
  if (c.controller === null && c.reachable !== false) crit.push('no controller');
  if ((c.underMinIsrPartitions ?? 0) > 0) crit.push(`${c.underMinIsrPartitions} partitions under min ISR`);
  if (brokers && brokers.length > 0) warn.push(...brokers.filter((b) => b.state === 'down').map((b) => b.why));
  else if (c.brokersUp !== null && c.brokersKnown !== null && c.brokersUp < c.brokersKnown) warn.push(`${c.brokersKnown - c.brokersUp} of ${c.brokersKnown} brokers down`);
  if ((c.underReplicatedPartitions ?? 0) > 0) warn.push(`${c.underReplicatedPartitions} under-replicated partitions`);
  if (c.firingAlerts > 0) warn.push(`${c.firingAlerts} alerts firing`);
  if (now - c.lastSampleAt > staleAfterMs) warn.push('no fresh metrics');
  return verdict(crit, warn);
}

/** A ZooKeeper ensemble tile's verdict: no quorum is critical, a server down or no leader a warning. */
export function ensembleHealth(zk: { quorum: boolean | null; leader: string | null; serversUp: number | null; serversConfigured: number | null }): { badge: Badge; reasons: string[] } {
  const crit: string[] = [];
  const warn: string[] = [];
  if (zk.quorum === false) crit.push('no quorum: ZooKeeper cannot serve writes');
  if (zk.serversUp !== null && zk.serversConfigured !== null && zk.serversUp < zk.serversConfigured) warn.push(`${zk.serversConfigured - zk.serversUp} of ${zk.serversConfigured} servers down`);
  if (zk.quorum !== false && zk.leader === null) warn.push('no leader reported');
  return verdict(crit, warn);
}

function verdict(crit: string[], warn: string[]): { badge: Badge; reasons: string[] } {
  if (crit.length) return { badge: badge('crit', 'CRITICAL'), reasons: [...crit, ...warn] };
  if (warn.length) return { badge: badge('warn', 'WARNING'), reasons: warn };
  return { badge: badge('ok', 'HEALTHY'), reasons: [] };
}

/** Human units for axis labels and values. */
export function formatValue(value: number | null | undefined, unit: 'bytes' | 'rate' | 'seconds' | 'ratio' | 'count' = 'count'): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  if (unit === 'ratio') return `${(value * 100).toFixed(1)} %`;
  if (unit === 'seconds') return value < 1 ? `${(value * 1000).toFixed(value < 0.01 ? 2 : 0)} ms` : `${value.toFixed(1)} s`;
  const abs = Math.abs(value);
  const scale = unit === 'bytes' ? 1024 : 1000;
  const suffixes = unit === 'bytes' ? ['B', 'KiB', 'MiB', 'GiB', 'TiB'] : ['', 'k', 'M', 'G', 'T'];
  let i = 0;
  let v = abs;
  while (v >= scale && i < suffixes.length - 1) {
    v /= scale;
    i++;
  }
  const text = `${value < 0 ? '-' : ''}${v >= 100 || i === 0 ? Math.round(v * 10) / 10 : v.toFixed(1)}${unit === 'bytes' ? ' ' : ''}${suffixes[i]}`;
  return unit === 'bytes' ? text : text.trim();
}

/** Time for a group to catch up at its current trend (messages/s, negative = shrinking lag); null when it is not catching up. */
export function timeToCatchUpSeconds(lag: number | null, trend: number | null): number | null {
  if (lag === null || trend === null) return null;
  if (lag <= 0) return 0;
  if (trend >= 0) return null;
  return lag / -trend;
}
