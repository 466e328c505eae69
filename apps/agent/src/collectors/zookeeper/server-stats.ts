import { MetricDefinition, zookeeperMetrics as z } from '@doflamingo/contracts';

export type ServerMode = 'leader' | 'follower' | 'observer' | 'standalone' | 'read-only' | 'not-serving';

/** What one server told about itself, whatever the source. A field is absent when unknown: never zero-filled. */
export interface ServerStats {
  mode?: ServerMode;
  /** major×10000 + minor×100 + patch. */
  version?: number;
  zxid?: { epoch: number; counter: number };
  /** Voting members of the ensemble, as the server counts them (mntr zk_quorum_size, ZooKeeper 3.6+). */
  quorumSize?: number;
  /** Catalogued statistics in their catalogue unit, from mntr or the AdminServer monitor. */
  values: Map<MetricDefinition, number>;
}

/** How a server answered a four-letter word. */
export type WordAnswer =
  | { kind: 'answer'; text: string }
  /** Not in 4lw.commands.whitelist. */
  | { kind: 'refused' }
  /** The server runs but is not part of a working ensemble (looking for a leader). */
  | { kind: 'not-serving' };

const NOT_SERVING = 'This ZooKeeper instance is not currently serving requests';

export function classifyAnswer(word: string, text: string): WordAnswer {
  if (text.startsWith(`${word} is not executed because it is not in the whitelist`)) return { kind: 'refused' };
  if (text.startsWith(NOT_SERVING)) return { kind: 'not-serving' };
  return { kind: 'answer', text };
}

export function isNotServingError(error: unknown): boolean {
  return typeof error === 'string' && error.startsWith(NOT_SERVING);
}

/**
 * mntr keys (without the zk_ prefix, which the AdminServer's monitor leaves out too) mapped to the
 * catalogue, with the divisor to the catalogue's unit (milliseconds → seconds). With several keys
 * the first present wins (ZooKeeper 3.6 renamed followers to learners).
 */
const MONITOR_KEYS: ReadonlyArray<readonly [keys: readonly string[], metric: MetricDefinition, divisor: number]> = [
  [['avg_latency'], z.latencyAvg, 1000],
  [['min_latency'], z.latencyMin, 1000],
  [['max_latency'], z.latencyMax, 1000],
  [['outstanding_requests'], z.outstandingRequests, 1],
  [['num_alive_connections'], z.aliveConnections, 1],
  [['znode_count'], z.znodes, 1],
  [['watch_count'], z.watches, 1],
  [['ephemerals_count'], z.ephemerals, 1],
  [['approximate_data_size'], z.approximateDataSize, 1],
  [['open_file_descriptor_count'], z.openFileDescriptors, 1],
  [['max_file_descriptor_count'], z.maxFileDescriptors, 1],
  [['packets_received'], z.packetsReceived, 1],
  [['packets_sent'], z.packetsSent, 1],
  [['uptime'], z.uptime, 1000],
  [['learners', 'followers'], z.followers, 1],
  [['synced_followers'], z.syncedFollowers, 1],
  [['pending_syncs'], z.pendingSyncs, 1],
];

const MODES: Record<string, ServerMode> = {
  leader: 'leader',
  follower: 'follower',
  observer: 'observer',
  standalone: 'standalone',
  'read-only': 'read-only',
};

function toNumber(raw: unknown): number | undefined {
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(raw.trim()) ? Number(raw) : NaN;
  return Number.isFinite(value) ? value : undefined;
}

/** "3.8.4-9316c2a…, built on …" → 30804. */
export function versionCode(text: string): number | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(text.trim());
  return match ? Number(match[1]) * 10000 + Number(match[2]) * 100 + Number(match[3]) : undefined;
}

/** A zxid is the leader epoch (high 32 bits) and a counter within it (low 32 bits). */
export function splitZxid(zxid: bigint): { epoch: number; counter: number } {
  return { epoch: Number(zxid >> 32n), counter: Number(zxid & 0xffffffffn) };
}

/** mntr's "zk_key<TAB>value" lines, keys without the zk_ prefix. Unknown keys are kept (and ignored later). */
export function parseMntr(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab <= 0) continue;
    entries.set(line.slice(0, tab).replace(/^zk_/, ''), line.slice(tab + 1).trim());
  }
  return entries;
}

/** Monitor entries (mntr lines or the AdminServer's /commands/monitor JSON) as stats. */
export function statsFromMonitor(entries: Map<string, unknown>): ServerStats {
  const stats: ServerStats = { values: new Map() };
  const state = entries.get('server_state');
  if (typeof state === 'string' && MODES[state]) stats.mode = MODES[state];
  const version = entries.get('version');
  if (typeof version === 'string') stats.version = versionCode(version);
  stats.quorumSize = toNumber(entries.get('quorum_size'));
  for (const [keys, metric, divisor] of MONITOR_KEYS) {
    const key = keys.find((k) => entries.has(k));
    const value = key === undefined ? undefined : toNumber(entries.get(key));
    if (value !== undefined) stats.values.set(metric, value / divisor);
  }
  return stats;
}

/** The AdminServer's /commands/monitor answer (its keys are mntr's without the zk_ prefix). */
export function statsFromAdminMonitor(json: Record<string, unknown>): ServerStats {
  return statsFromMonitor(new Map(Object.entries(json).filter(([key]) => key !== 'command' && key !== 'error')));
}

/** srvr: mode, zxid and version ("Zookeeper version: …", "Zxid: 0x500000151", "Mode: leader"). */
export function parseSrvr(text: string): Pick<ServerStats, 'mode' | 'zxid' | 'version'> {
  const field = (name: string) => new RegExp(`^${name}: (.+)$`, 'm').exec(text)?.[1].trim();
  const mode = field('Mode');
  const zxid = field('Zxid');
  const version = field('Zookeeper version');
  return {
    mode: mode ? MODES[mode] : undefined,
    zxid: zxid && /^0x[0-9a-fA-F]+$/.test(zxid) ? splitZxid(BigInt(zxid)) : undefined,
    version: version ? versionCode(version) : undefined,
  };
}

/** The AdminServer's /commands/stat: the same as srvr, with the zxid in decimal. */
export function parseAdminStat(json: Record<string, unknown>): Pick<ServerStats, 'mode' | 'zxid' | 'version'> {
  const serverStats = (json.server_stats ?? {}) as Record<string, unknown>;
  const state = serverStats.server_state;
  const zxid = toNumber(serverStats.last_processed_zxid);
  return {
    mode: typeof state === 'string' ? MODES[state] : undefined,
    zxid: zxid !== undefined && Number.isSafeInteger(zxid) && zxid >= 0 ? splitZxid(BigInt(zxid)) : undefined,
    version: typeof json.version === 'string' ? versionCode(json.version) : undefined,
  };
}
