import type { AlertEvent } from '@doflamingo/contracts';
import { tsvString, tsvStringArray } from '../storage/table-rows';

/** The `alerts` columns an insert names (ClickHouse 18.16 applies DEFAULTs only to columns left out of a named list). */
export const ALERT_COLUMNS = [
  'at', 'at_ms', 'cluster', 'id', 'rule', 'state', 'severity', 'label_names', 'label_values', 'message', 'value', 'starts_at', 'fired_at',
] as const;

const seconds = (ms: number): number => Math.floor(ms / 1000);

/** One `alerts` line (TabSeparated), labels sorted by name like the samples' labels. */
export function alertLine(event: AlertEvent): string {
  const names = Object.keys(event.labels).sort();
  return [
    seconds(event.at),
    event.at % 1000,
    tsvString(event.cluster),
    tsvString(event.id),
    tsvString(event.rule),
    event.state,
    event.severity,
    tsvStringArray(names),
    tsvStringArray(names.map((name) => event.labels[name])),
    tsvString(event.message),
    event.value === null ? '\\N' : String(event.value),
    seconds(event.startsAt),
    event.firedAt == null ? '\\N' : seconds(event.firedAt),
  ].join('\t') + '\n';
}
