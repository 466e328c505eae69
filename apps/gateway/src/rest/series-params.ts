import picomatch from 'picomatch';
import { z } from 'zod';
import { metricCatalogue, MetricDefinition } from '@doflamingo/contracts';
import { BadPatternError, compileFilter, SeriesPredicate } from '../live/series-filter';

/**
 * GET /api/v1/series parameters: parsed and validated here, before anything reaches ClickHouse.
 * Every refusal names the parameter and says why, so a client (or a person with curl) can fix it.
 */
export class SeriesParameterError extends Error {
  constructor(
    readonly parameter: string,
    readonly reason: string,
  ) {
    super(`${parameter}: ${reason}`);
    this.name = 'SeriesParameterError';
  }
}

export interface LabelFilter {
  name: string;
  pattern: string;
  /** No glob syntax: compared for equality in SQL. */
  exact: boolean;
}

export interface SeriesParams {
  metric: string;
  definition: MetricDefinition;
  /** Exact name or glob; undefined: every cluster. */
  cluster?: { pattern: string; exact: boolean };
  labels: LabelFilter[];
  fromMs: number;
  toMs: number;
  /** Undefined: the gateway chooses. */
  stepMs?: number;
  /** Cluster and label patterns as one predicate over a series (exact ones are also pushed into SQL). */
  predicate: SeriesPredicate;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** DateTime (what the tables store) is seconds in a UInt32. */
const MAX_TIME_MS = 4_294_967_295_000;
const MAX_STEP_MS = 366 * DAY_MS;
export const DEFAULT_RANGE_MS = HOUR_MS;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: HOUR_MS, d: DAY_MS };
/** Date only (midnight UTC), or date and time with a zone: a time without a zone would depend on the server's. */
const ISO_8601 = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/** `2025-01-01T12:00:00Z`, `2025-01-01T14:00:00+02:00`, `2025-01-01` (UTC midnight) or epoch milliseconds. */
export function parseTime(text: string): number {
  let ms: number;
  if (/^\d{1,16}$/.test(text)) {
    ms = Number(text);
  } else {
    const match = ISO_8601.exec(text);
    if (!match) throw new Error('expected ISO-8601 with a time zone (2025-01-01T12:00:00Z) or epoch milliseconds');
    const [, day, hm, seconds = '00', fraction = '', zone] = match;
    const normalised = hm === undefined ? `${day}T00:00:00.000Z` : `${day}T${hm}:${seconds}.${fraction.padEnd(3, '0').slice(0, 3)}${zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`}`;
    ms = Date.parse(normalised);
    // Date.parse rolls 2025-02-30 over to March; refuse dates that do not exist.
    if (Number.isNaN(ms) || (hm === undefined && new Date(ms).toISOString().slice(0, 10) !== day)) throw new Error(`${JSON.stringify(text)} is not a valid date`);
  }
  if (ms > MAX_TIME_MS) throw new Error('is after 2106-02-07, the last second ClickHouse DateTime holds');
  return ms;
}

/** `10s`, `1m`, `5m`, `1h`, `1d`, `500ms` or plain milliseconds; whole seconds only. */
export function parseStep(text: string): number {
  const match = /^(\d{1,12})(ms|s|m|h|d)?$/.exec(text);
  if (!match) throw new Error('expected a duration like 10s, 1m, 5m, 1h, 1d, or milliseconds');
  const ms = Number(match[1]) * UNIT_MS[match[2] ?? 'ms'];
  if (ms < 1000 || ms % 1000 !== 0) throw new Error(`must be whole seconds (at least 1s), got ${ms} ms`);
  if (ms > MAX_STEP_MS) throw new Error('must be at most 366d');
  return ms;
}

/** picomatch decides what is a glob, so that "exact" here means exactly what the WebSocket filter treats literally. */
export function isGlob(pattern: string): boolean {
  return picomatch.scan(pattern).isGlob || pattern.startsWith('!') || /[\\()]/.test(pattern);
}

/**
 * `labels=topic:orders-*,broker:{1,2}`: `name:pattern` pairs separated by commas outside braces and
 * brackets (`\,` is a literal comma). The name ends at the first colon, so values may hold colons
 * (ZooKeeper's `server=host:port`). The parameter may also be repeated.
 */
export function parseLabelFilters(values: string[], definition: MetricDefinition): LabelFilter[] {
  const filters: LabelFilter[] = [];
  for (const value of values) {
    for (const pair of splitTopLevel(value)) {
      const colon = pair.indexOf(':');
      if (colon < 0) throw new Error(`expected name:pattern pairs, got ${JSON.stringify(pair)}`);
      const name = pair.slice(0, colon).trim();
      const pattern = pair.slice(colon + 1);
      if (!definition.labels.includes(name)) {
        const known = definition.labels.length ? definition.labels.join(', ') : 'none';
        throw new Error(`${definition.name} has no label ${JSON.stringify(name)} (its labels: ${known})`);
      }
      if (filters.some((f) => f.name === name)) throw new Error(`label ${JSON.stringify(name)} is given twice`);
      if (pattern === '') throw new Error(`label ${JSON.stringify(name)} has an empty pattern (use * for any value)`);
      filters.push({ name, pattern, exact: !isGlob(pattern) });
    }
  }
  return filters;
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && text[i + 1] === ',') {
      current += ',';
      i++;
      continue;
    }
    if (ch === '\\' && i + 1 < text.length) {
      current += ch + text[++i];
      continue;
    }
    if (ch === '{' || ch === '[') depth++;
    if ((ch === '}' || ch === ']') && depth > 0) depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts.filter((part) => part.trim() !== '');
}

/** A zod issue on one parameter, carrying our own message. */
const fail = (ctx: z.RefinementCtx, message: string) => {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
};

/** One value: Express turns a repeated parameter into an array, which only `labels` may be. */
const one = (required: boolean) =>
  z.unknown().optional().transform((value, ctx): string | undefined => {
    if (value === undefined || value === '') return required ? fail(ctx, 'is required') : undefined;
    if (typeof value !== 'string') return fail(ctx, 'must be given once');
    return value;
  });

const CATALOGUE = metricCatalogue();

const QUERY_SCHEMA = z
  .object({
    metric: one(true).transform((name, ctx) => {
      const definition = CATALOGUE.get(name!);
      return definition ?? fail(ctx, `unknown metric ${JSON.stringify(name)} (the catalogue is in docs/metrics.md)`);
    }),
    cluster: one(false),
    labels: z.unknown().optional().transform((value, ctx): string[] => {
      if (value === undefined) return [];
      if (typeof value === 'string') return [value];
      if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
      return fail(ctx, 'expected name:pattern pairs');
    }),
    from: one(false).transform((text, ctx) => (text === undefined ? undefined : attempt(ctx, () => parseTime(text)))),
    to: one(false).transform((text, ctx) => (text === undefined ? undefined : attempt(ctx, () => parseTime(text)))),
    step: one(false).transform((text, ctx) => (text === undefined ? undefined : attempt(ctx, () => parseStep(text)))),
    // Read by the API key guard (browsers cannot set headers on every request).
    access_token: z.unknown().optional(),
  })
  .strict();

function attempt<T>(ctx: z.RefinementCtx, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    return fail(ctx, (error as Error).message);
  }
}

export interface SeriesParamLimits {
  maxRangeDays: number;
}

/** Validates the query string of GET /api/v1/series. Throws SeriesParameterError. */
export function parseSeriesParams(query: Record<string, unknown>, limits: SeriesParamLimits, now: number): SeriesParams {
  const parsed = QUERY_SCHEMA.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue.code === 'unrecognized_keys') {
      throw new SeriesParameterError(issue.keys[0], 'unknown parameter (expected metric, cluster, labels, from, to, step)');
    }
    throw new SeriesParameterError(String(issue.path[0]), issue.message);
  }
  const { metric: definition, cluster, labels, from, to, step } = parsed.data;

  let filters: LabelFilter[];
  try {
    filters = parseLabelFilters(labels, definition);
  } catch (error) {
    throw new SeriesParameterError('labels', (error as Error).message);
  }
  const predicate = compilePredicate(cluster, filters);

  const toMs = to ?? now;
  const fromMs = from ?? Math.max(0, toMs - DEFAULT_RANGE_MS);
  if (fromMs >= toMs) throw new SeriesParameterError('from', `must be before to (from ${new Date(fromMs).toISOString()}, to ${new Date(toMs).toISOString()})`);
  const maxRangeMs = limits.maxRangeDays * DAY_MS;
  if (toMs - fromMs > maxRangeMs) {
    throw new SeriesParameterError('from', `the range from..to is ${formatDuration(toMs - fromMs)}, more than the ${limits.maxRangeDays} days allowed (GATEWAY_SERIES_MAX_RANGE_DAYS)`);
  }
  return {
    metric: definition.name,
    definition,
    cluster: cluster === undefined ? undefined : { pattern: cluster, exact: !isGlob(cluster) },
    labels: filters,
    fromMs,
    toMs,
    stepMs: step,
    predicate,
  };
}

/**
 * The same matcher as WebSocket subscriptions (compileFilter), so one filter means the same series
 * live and in history. `*` for a label only asks for the label to be present (checked in SQL).
 */
function compilePredicate(cluster: string | undefined, filters: LabelFilter[]): SeriesPredicate {
  const labels = Object.fromEntries(filters.filter((f) => f.pattern !== '*').map((f) => [f.name, f.pattern]));
  try {
    return compileFilter({ cluster, labels });
  } catch (error) {
    if (!(error instanceof BadPatternError)) throw error;
    throw new SeriesParameterError(error.message.startsWith('cluster:') ? 'cluster' : 'labels', error.message.replace(/^cluster: /, ''));
  }
}

export function formatDuration(ms: number): string {
  for (const [unit, size] of [['d', DAY_MS], ['h', HOUR_MS], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return ms >= 1000 ? `${(ms / 1000).toFixed(3)}s` : `${ms}ms`;
}
