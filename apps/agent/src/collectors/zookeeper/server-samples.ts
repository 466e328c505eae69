import { MetricSample, sample, zookeeperMetrics as z } from '@doflamingo/contracts';
import { ServerMode, ServerStats } from './server-stats';

export type StatsSource = 'mntr' | 'admin' | 'none';

/** Everything one collection learned about one server. */
export interface ServerReport {
  /** host:port as configured. */
  server: string;
  /** The process answered something (ruok, any four-letter word, or its AdminServer). */
  up: boolean;
  /** mntr ran: it answered, or said the server is not serving. */
  mntrAvailable: boolean;
  source: StatsSource;
  stats: ServerStats;
}

/** zookeeper_server_state codes (documented in the catalogue). */
export const MODE_CODES: Record<ServerMode, number> = {
  'not-serving': 0,
  follower: 1,
  leader: 2,
  observer: 3,
  standalone: 4,
  'read-only': 5,
};

const SOURCE_CODES: Record<StatsSource, number> = { none: 0, mntr: 1, admin: 2 };

/** The per-server samples: only what the server told; a statistic it did not give is left out, not zeroed. */
export function serverSamples(report: ServerReport): MetricSample[] {
  const labels = { server: report.server };
  const { stats } = report;
  const samples = [
    sample(z.serverUp, labels, Number(report.up)),
    sample(z.mntrAvailable, labels, Number(report.mntrAvailable)),
    sample(z.statsSource, labels, SOURCE_CODES[report.source]),
  ];
  if (stats.mode !== undefined) samples.push(sample(z.serverState, labels, MODE_CODES[stats.mode]));
  if (stats.zxid !== undefined) samples.push(sample(z.zxidEpoch, labels, stats.zxid.epoch), sample(z.zxidCounter, labels, stats.zxid.counter));
  if (stats.version !== undefined) samples.push(sample(z.version, labels, stats.version));
  for (const [metric, value] of stats.values) samples.push(sample(metric, labels, value));
  return samples;
}
