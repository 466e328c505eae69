import { z } from 'zod';
import { ALERT_SEVERITIES } from '@doflamingo/contracts';
import { DURATION_PATTERN, parseDuration } from './duration';

/**
 * One alert rule, built in or from the user's rules file (docs/alerts.md). A rule watches one
 * metric; each matching series (or each group, with `aggregate`) is one alert instance.
 */
export const COMPARISONS = ['>', '>=', '<', '<=', '==', '!='] as const;
export type Comparison = (typeof COMPARISONS)[number];

/** What is compared with the threshold: the latest value, its increase over `window`, or where a straight line through `window` will be after `horizon`. */
export const RULE_INPUTS = ['value', 'increase', 'predicted'] as const;
export const AGGREGATIONS = ['sum', 'min', 'max', 'count'] as const;

const duration = z.union([z.number().int().nonnegative(), z.string().regex(DURATION_PATTERN).transform(parseDuration)], {
  error: 'expected a duration like 30s, 5m or 2h (or whole milliseconds)',
});

export const alertRuleSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'expected lower-case letters, digits and dashes, starting with a letter'),
    metric: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'expected a metric name like kafka_broker_up'),
    /** Label name → glob (picomatch), e.g. `{ group: "payments-*" }`. */
    labels: z.record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'expected label names like broker'), z.string().min(1)).default({}),
    cluster: z.string().min(1).default('*'),
    input: z.enum(RULE_INPUTS).default('value'),
    window: duration.optional(),
    horizon: duration.optional(),
    aggregate: z.enum(AGGREGATIONS).optional(),
    /** With `aggregate`: the labels that split groups (none: one value per cluster). */
    by: z.array(z.string()).default([]),
    op: z.enum(COMPARISONS),
    threshold: z.number(),
    /** Hysteresis: once firing, the alert stays firing until the value passes this (instead of `threshold`). */
    clearThreshold: z.number().optional(),
    /** The condition must hold this long before the alert fires (it is pending meanwhile). */
    for: duration.default(0),
    /** A firing alert resolves only after its condition has been false this long. */
    clearFor: duration.default(15_000),
    /** A series not reported for this long counts as gone (its alert resolves as "no data"). */
    staleAfter: duration.default(60_000),
    severity: z.enum(ALERT_SEVERITIES),
    /** `{{cluster}}`, `{{value}}`, `{{threshold}}` and `{{<label>}}` are filled in. */
    message: z.string().min(1).max(1000),
  })
  .strict()
  .superRefine((rule, context) => {
    if (rule.input !== 'value' && rule.window === undefined) context.addIssue({ code: 'custom', path: ['window'], message: `is required when input is ${rule.input}` });
    if (rule.input === 'predicted' && rule.horizon === undefined) context.addIssue({ code: 'custom', path: ['horizon'], message: 'is required when input is predicted' });
    if (rule.input !== 'predicted' && rule.horizon !== undefined) context.addIssue({ code: 'custom', path: ['horizon'], message: 'only applies when input is predicted' });
    if (rule.aggregate === undefined && rule.by.length > 0) context.addIssue({ code: 'custom', path: ['by'], message: 'only applies with aggregate' });
    if (rule.clearThreshold !== undefined && !clearsBeyond(rule.op, rule.threshold, rule.clearThreshold)) {
      context.addIssue({ code: 'custom', path: ['clearThreshold'], message: `must lie on the healthy side of threshold ${rule.threshold} for op ${rule.op}` });
    }
  });

export type AlertRuleInput = z.input<typeof alertRuleSchema>;
export type AlertRule = z.output<typeof alertRuleSchema>;

/** With op `<` and threshold 0.3, a clear threshold of 0.35 makes sense; 0.25 would fire and clear at once. */
function clearsBeyond(op: Comparison, threshold: number, clear: number): boolean {
  if (op === '>' || op === '>=') return clear <= threshold;
  if (op === '<' || op === '<=') return clear >= threshold;
  return clear === threshold;
}

export function compare(value: number, op: Comparison, threshold: number): boolean {
  switch (op) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
  }
}
