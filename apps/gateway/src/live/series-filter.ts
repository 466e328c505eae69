import picomatch from 'picomatch';
import { LiveSample, SeriesFilter } from '@doflamingo/contracts';

export type SeriesPredicate = (sample: Pick<LiveSample, 'cluster' | 'metric' | 'labels'>) => boolean;

export class BadPatternError extends Error {}

/**
 * Compiles a subscription filter into one predicate. Globs go through picomatch (the matcher
 * behind most of the Node tooling), with `/` not special, so `orders-*` matches any topic name.
 */
export function compileFilter(filter: SeriesFilter): SeriesPredicate {
  const cluster = glob('cluster', filter.cluster);
  const metric = glob('metric', filter.metric);
  // A label glob of "*" still requires the label to be there.
  const labels = Object.entries(filter.labels ?? {}).map(([name, pattern]) => [name, glob(`labels.${name}`, pattern) ?? (() => true)] as const);
  return (sample) =>
    (!cluster || cluster(sample.cluster)) &&
    (!metric || metric(sample.metric)) &&
    labels.every(([name, matches]) => sample.labels[name] !== undefined && matches(sample.labels[name]));
}

/** picomatch treats "/" as a path separator; series values are not paths, so it is swapped out on both sides. */
const SLASH = '\u2215';

function glob(field: string, pattern: string | undefined): ((value: string) => boolean) | undefined {
  if (pattern === undefined || pattern === '*') return undefined;
  let matcher: (value: string) => boolean;
  try {
    matcher = picomatch(pattern.replaceAll('/', SLASH), { dot: true, strictBrackets: true });
  } catch (error) {
    throw new BadPatternError(`${field}: ${JSON.stringify(pattern)} is not a valid pattern (${(error as Error).message})`);
  }
  return (value) => matcher(value.replaceAll('/', SLASH));
}
