import { Channel, SeriesFilter } from '@doflamingo/contracts';
import { compileFilter, SeriesPredicate } from '../live/series-filter';

export class BadDestinationError extends Error {}

export interface StompTarget {
  channel: Channel;
  predicate: SeriesPredicate;
  resolution?: '10s' | '1m';
}

const HELP =
  'destinations are /topic/kafka/<cluster>[/<metric>], /topic/zookeeper/<cluster>[/<metric>], /topic/rollup/<cluster>[/<metric>], /topic/alarm[/<cluster>] and /topic/anomaly[/<cluster>[/<metric>]] (globs allowed)';

/**
 * Maps a STOMP destination, and an optional `labels` header (`broker=1;topic=orders-*`), to a
 * subscription. ZooKeeper metrics (`zookeeper_*`) are under /topic/zookeeper, the rest under
 * /topic/kafka, so Flamingo can subscribe to "everything about this ensemble" in one go.
 */
export function parseDestination(destination: string, labelsHeader?: string): StompTarget {
  const parts = destination.split('/');
  if (parts[0] !== '' || parts[1] !== 'topic' || parts.length < 3) throw new BadDestinationError(`unknown destination ${JSON.stringify(destination)}: ${HELP}`);
  const [kind, cluster, metric, ...rest] = parts.slice(2);
  if (rest.length > 0 || parts.some((part, i) => i > 0 && part === '')) throw new BadDestinationError(`unknown destination ${JSON.stringify(destination)}: ${HELP}`);
  const filter: SeriesFilter = { cluster: cluster || undefined, metric: metric || undefined, labels: parseLabels(labelsHeader) };
  let predicate: SeriesPredicate;
  try {
    predicate = compileFilter(filter);
  } catch (error) {
    throw new BadDestinationError((error as Error).message);
  }
  switch (kind) {
    case 'kafka':
      if (!cluster) break;
      return { channel: 'metrics', predicate: (s) => !s.metric.startsWith('zookeeper_') && predicate(s) };
    case 'zookeeper':
      if (!cluster) break;
      return { channel: 'metrics', predicate: (s) => s.metric.startsWith('zookeeper_') && predicate(s) };
    case 'rollup':
      if (!cluster) break;
      return { channel: 'rollups', predicate };
    case 'alarm':
      if (metric) break;
      return { channel: 'alerts', predicate };
    case 'anomaly':
      return { channel: 'anomalies', predicate };
  }
  throw new BadDestinationError(`unknown destination ${JSON.stringify(destination)}: ${HELP}`);
}

function parseLabels(header: string | undefined): Record<string, string> | undefined {
  if (!header?.trim()) return undefined;
  const labels: Record<string, string> = {};
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    const name = pair.slice(0, at).trim();
    if (at <= 0 || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) || pair.slice(at + 1).trim() === '') {
      throw new BadDestinationError(`labels header ${JSON.stringify(header)}: expected name=glob pairs separated by ";"`);
    }
    labels[name] = pair.slice(at + 1).trim();
  }
  return labels;
}
