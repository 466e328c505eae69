import { ALERT_EVENT_SCHEMA_VERSION, AlertEvent } from '@doflamingo/contracts';
import { AlertRule, compare } from '../rules/alert-rule';

/** What a rule sees for one alert instance at one evaluation: undefined value means no data. */
export interface Reading {
  id: string;
  cluster: string;
  labels: Record<string, string>;
  value: number | undefined;
}

interface OpenAlert {
  id: string;
  cluster: string;
  labels: Record<string, string>;
  state: 'pending' | 'firing';
  startsAt: number;
  firedAt: number | null;
  /** Since when the condition has been false (firing alerts only): the clearFor clock. */
  healthySince?: number;
  /** Restored alerts wait this long for data before "no data" counts against them. */
  noDataGraceUntil?: number;
  value: number | null;
}

/**
 * The life of one rule's alerts: pending while the condition holds for less than `for`, firing
 * after, resolved once the condition has been false for `clearFor` (while firing, "false" is
 * judged against `clearThreshold` when the rule has one). Each transition is one event; a value
 * that keeps the same state emits nothing, so an alert is reported once, not at every evaluation.
 */
export class AlertLifecycle {
  private readonly open = new Map<string, OpenAlert>();

  constructor(readonly rule: AlertRule) {}

  get openAlerts(): Iterable<OpenAlert> {
    return this.open.values();
  }

  get size(): number {
    return this.open.size;
  }

  step(reading: Reading, now: number): AlertEvent | undefined {
    const alert = this.open.get(reading.id);
    const bad = this.conditionHolds(alert, reading.value);
    if (!alert) {
      if (!bad) return undefined;
      const opened: OpenAlert = { ...reading, state: 'pending', startsAt: now, firedAt: null, value: reading.value ?? null };
      this.open.set(reading.id, opened);
      if (this.rule.for === 0) return this.fire(opened, now);
      return this.event(opened, 'pending', now);
    }
    if (reading.value !== undefined) alert.value = reading.value;
    if (alert.state === 'pending') {
      if (!bad) {
        this.open.delete(alert.id);
        return this.event(alert, 'resolved', now, reading.value === undefined);
      }
      return now - alert.startsAt >= this.rule.for ? this.fire(alert, now) : undefined;
    }
    if (bad) {
      alert.healthySince = undefined;
      return undefined;
    }
    if (reading.value === undefined && alert.noDataGraceUntil !== undefined && now < alert.noDataGraceUntil) return undefined;
    alert.healthySince ??= now;
    if (now - alert.healthySince < this.rule.clearFor) return undefined;
    this.open.delete(alert.id);
    return this.event(alert, 'resolved', now, reading.value === undefined);
  }

  /** Takes back an alert that was firing when the alerter last stopped (read from the alerts topic). */
  restore(event: AlertEvent, now: number): void {
    this.open.set(event.id, {
      id: event.id,
      cluster: event.cluster,
      labels: event.labels,
      state: 'firing',
      startsAt: event.startsAt,
      firedAt: event.firedAt ?? event.at,
      value: event.value,
      noDataGraceUntil: now + this.rule.staleAfter,
    });
  }

  private conditionHolds(alert: OpenAlert | undefined, value: number | undefined): boolean {
    if (value === undefined) return false;
    const { op, threshold, clearThreshold } = this.rule;
    return compare(value, op, alert?.state === 'firing' && clearThreshold !== undefined ? clearThreshold : threshold);
  }

  private fire(alert: OpenAlert, now: number): AlertEvent {
    alert.state = 'firing';
    alert.firedAt = now;
    return this.event(alert, 'firing', now);
  }

  private event(alert: OpenAlert, state: AlertEvent['state'], now: number, noData = false): AlertEvent {
    const message = renderMessage(this.rule.message, alert.cluster, alert.labels, alert.value, this.rule.threshold);
    return {
      schemaVersion: ALERT_EVENT_SCHEMA_VERSION,
      id: alert.id,
      rule: this.rule.name,
      state,
      severity: this.rule.severity,
      cluster: alert.cluster,
      labels: alert.labels,
      message: state === 'resolved' ? `Resolved${noData ? ' (no data)' : ''}: ${message}` : message,
      value: alert.value,
      startsAt: alert.startsAt,
      at: now,
      firedAt: alert.firedAt,
    };
  }
}

export function formatValue(value: number | null): string {
  if (value === null) return 'unknown';
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(3)));
}

export function renderMessage(template: string, cluster: string, labels: Record<string, string>, value: number | null, threshold: number): string {
  return template.replace(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (whole, name: string) => {
    if (name === 'cluster') return cluster;
    if (name === 'value') return formatValue(value);
    if (name === 'threshold') return formatValue(threshold);
    return labels[name] ?? whole;
  });
}
