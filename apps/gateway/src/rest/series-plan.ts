import { formatDuration, SeriesParameterError, SeriesParams } from './series-params';

/**
 * Which table answers a history query, and in which buckets.
 *
 * - The range picks the table: up to 6 h `samples_raw`, up to 7 days `rollups_10s`, beyond
 *   `rollups_1m`, so that a month never scans raw rows. A table whose retention no longer holds
 *   `from` is skipped for the next coarser one.
 * - The step is never finer than the table: it must be a multiple of the table's resolution (a 15 s
 *   bucket cannot be built from 10 s windows), else 400. A coarse step does not move the query to a
 *   coarser table: the finer table is fresher (a rollup row exists only once its window has closed)
 *   and the range already bounds the rows read.
 * - Without a step, the smallest round step giving at most TARGET_BUCKETS buckets; raised further
 *   when the series found times the buckets exceed the points limit.
 */
export interface SeriesTable {
  name: 'samples_raw' | 'rollups_10s' | 'rollups_1m';
  /** Bucket steps must be multiples of this. */
  resolutionS: number;
  /** Longest range read from this table (its own resolution is the reason). */
  maxRangeMs: number;
  retention: keyof SeriesRetention;
}

export interface SeriesRetention {
  raw: number;
  rollups10s: number;
  rollups1m: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Finest first. */
export const SERIES_TABLES: readonly SeriesTable[] = [
  { name: 'samples_raw', resolutionS: 1, maxRangeMs: 6 * HOUR_MS, retention: 'raw' },
  { name: 'rollups_10s', resolutionS: 10, maxRangeMs: 7 * DAY_MS, retention: 'rollups10s' },
  { name: 'rollups_1m', resolutionS: 60, maxRangeMs: Infinity, retention: 'rollups1m' },
];

/** Default resolution of a chart: a few hundred points across. */
export const TARGET_BUCKETS = 500;

/** Steps the gateway picks itself, in seconds. */
export const ROUND_STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 7 * 86400, 30 * 86400];

export interface SeriesLimits {
  maxPoints: number;
  /** Days each table keeps (the processor's RETENTION_* settings). */
  retentionDays: SeriesRetention;
}

export interface SeriesPlan {
  table: SeriesTable;
  stepS: number;
  fromMs: number;
  toMs: number;
  /** Buckets of `stepS` (aligned to the epoch) that [from, to) touches. */
  buckets: number;
  /** The step was chosen by the gateway (and may be raised to fit the points limit). */
  stepChosen: boolean;
}

/** Buckets aligned to multiples of the step since the epoch that [fromMs, toMs) touches. */
export function bucketCount(fromMs: number, toMs: number, stepS: number): number {
  const stepMs = stepS * 1000;
  return Math.floor((toMs - 1) / stepMs) - Math.floor(fromMs / stepMs) + 1;
}

/** Index of the finest table the range (and retention) allows. */
function finestAllowed(params: Pick<SeriesParams, 'fromMs' | 'toMs'>, limits: SeriesLimits, now: number): number {
  const range = params.toMs - params.fromMs;
  let index = SERIES_TABLES.findIndex((t) => range <= t.maxRangeMs);
  while (index < SERIES_TABLES.length - 1 && params.fromMs < now - limits.retentionDays[SERIES_TABLES[index].retention] * DAY_MS) index++;
  return index;
}

/** The plan for a query, before knowing how many series match. */
export function planSeries(params: Pick<SeriesParams, 'fromMs' | 'toMs' | 'stepMs'>, limits: SeriesLimits, now: number): SeriesPlan {
  const finest = finestAllowed(params, limits, now);
  const floor = SERIES_TABLES[finest];
  let stepS: number;
  const stepChosen = params.stepMs === undefined;
  if (params.stepMs === undefined) {
    const target = Math.min(TARGET_BUCKETS, limits.maxPoints);
    const candidates = ROUND_STEPS_S.filter((s) => s % floor.resolutionS === 0);
    stepS = candidates.find((s) => bucketCount(params.fromMs, params.toMs, s) <= target) ?? candidates[candidates.length - 1];
  } else {
    stepS = params.stepMs / 1000;
    if (stepS % floor.resolutionS !== 0) {
      const byRange = SERIES_TABLES.findIndex((t) => params.toMs - params.fromMs <= t.maxRangeMs) === finest;
      const why = byRange ? `the finest table a ${formatDuration(params.toMs - params.fromMs)} range reads` : `the finest table still holding ${new Date(params.fromMs).toISOString()}`;
      throw new SeriesParameterError('step', `${formatDuration(params.stepMs)} cannot be built from ${floor.name}, ${why}: use a multiple of ${formatDuration(floor.resolutionS * 1000)}`);
    }
  }
  return { table: floor, stepS, fromMs: params.fromMs, toMs: params.toMs, buckets: bucketCount(params.fromMs, params.toMs, stepS), stepChosen };
}

/**
 * Checks series × buckets against the points limit once the series are known. A step the gateway
 * chose is raised to the smallest round step that fits; a step the client gave is refused.
 */
export function fitPoints(plan: SeriesPlan, seriesCount: number, limits: SeriesLimits, now: number): SeriesPlan {
  const points = seriesCount * plan.buckets;
  if (points <= limits.maxPoints) return plan;
  if (seriesCount > limits.maxPoints) {
    throw new SeriesParameterError('labels', `${seriesCount} series match, more than the ${limits.maxPoints} points allowed (GATEWAY_SERIES_MAX_POINTS) even with one point each: narrow the cluster or label filter`);
  }
  if (plan.stepChosen) {
    for (const stepS of ROUND_STEPS_S) {
      if (stepS <= plan.stepS) continue;
      let candidate: SeriesPlan;
      try {
        candidate = planSeries({ fromMs: plan.fromMs, toMs: plan.toMs, stepMs: stepS * 1000 }, limits, now);
      } catch {
        continue; // not a multiple of the range's table
      }
      if (seriesCount * candidate.buckets <= limits.maxPoints) return { ...candidate, stepChosen: true };
    }
  }
  throw new SeriesParameterError(
    'step',
    `${seriesCount} series × ${plan.buckets} buckets of ${formatDuration(plan.stepS * 1000)} is ${points} points, more than the ${limits.maxPoints} allowed (GATEWAY_SERIES_MAX_POINTS): use a larger step, a shorter range or a narrower filter`,
  );
}
