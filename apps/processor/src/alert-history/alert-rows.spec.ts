import { alertLine, ALERT_COLUMNS } from './alert-rows';

describe('alertLine', () => {
  it('writes one TabSeparated line in ALERT_COLUMNS order, labels sorted, nulls as \\N', () => {
    const line = alertLine({
      schemaVersion: 1,
      id: 'r/c1/topic=a\tb,broker=2',
      rule: 'r',
      state: 'resolved',
      severity: 'warning',
      cluster: 'c1',
      labels: { topic: "a\t'", broker: '2' },
      message: 'line one\nline two',
      value: null,
      startsAt: 1_700_000_000_123,
      at: 1_700_000_100_456,
      firedAt: null,
    });
    const fields = line.replace(/\n$/, '').split('\t');
    expect(fields).toHaveLength(ALERT_COLUMNS.length);
    expect(Object.fromEntries(ALERT_COLUMNS.map((column, i) => [column, fields[i]]))).toEqual({
      at: '1700000100',
      at_ms: '456',
      cluster: 'c1',
      id: 'r/c1/topic=a\\tb,broker=2',
      rule: 'r',
      state: 'resolved',
      severity: 'warning',
      label_names: "['broker','topic']",
      label_values: "['2','a\\t\\'']",
      message: 'line one\\nline two',
      value: '\\N',
      starts_at: '1700000000',
      fired_at: '\\N',
    });
  });
});
