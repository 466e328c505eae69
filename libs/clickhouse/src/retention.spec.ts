import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_RETENTION_POLICY, expiredPartitions, PartitionInfo, retentionCutoff } from './retention';

describe('retention', () => {
  describe('retentionCutoff (the first day kept)', () => {
    it.each([
      ['2026-11-24', 7, '2026-11-17'],
      ['2026-11-24', 1, '2026-11-23'],
      ['2026-03-01', 1, '2026-02-28'],
      ['2024-03-01', 1, '2024-02-29'],
      ['2026-01-05', 30, '2025-12-06'],
      ['2026-11-24', 365, '2025-11-24'],
      ['2025-03-01', 365, '2024-03-01'],
      ['2026-01-01', 7, '2025-12-25'],
    ])('on %s with %i days keeps from %s on', (today, days, expected) => {
      expect(retentionCutoff(today, days)).toBe(expected);
    });

    it('takes a Date by its UTC calendar day, whatever the local time zone', () => {
      // 23:30 in New York on the 24th is 04:30 UTC on the 25th.
      expect(retentionCutoff(new Date('2026-11-24T23:30:00-05:00'), 7)).toBe('2026-11-18');
      expect(retentionCutoff(new Date('2026-11-24T00:00:00Z'), 7)).toBe('2026-11-17');
    });

    it.each([0, -1, 1.5, NaN, Infinity])('refuses %p days', (days) => {
      expect(() => retentionCutoff('2026-11-24', days)).toThrow(RangeError);
    });

    it.each(['2026-11-4', '24.11.2026', ''])('refuses the day %j', (today) => {
      expect(() => retentionCutoff(today, 7)).toThrow(RangeError);
    });
  });

  describe('expiredPartitions', () => {
    const daily = (table: string, maxDate: string): PartitionInfo => ({ table, partitionId: maxDate.replaceAll('-', ''), maxDate });
    const sut = (partitions: PartitionInfo[]) =>
      expiredPartitions(partitions, DEFAULT_RETENTION_POLICY, '2026-11-24').map((p) => `${p.table}/${p.partitionId}`);

    it('expires exactly the days older than each table limit, and none inside it', () => {
      const partitions = [
        daily('samples_raw', '2026-11-15'),
        daily('samples_raw', '2026-11-16'),
        daily('samples_raw', '2026-11-17'),
        daily('samples_raw', '2026-11-24'),
        daily('rollups_10s', '2026-10-24'),
        daily('rollups_10s', '2026-10-25'),
        daily('rollups_10s', '2026-11-16'),
        daily('rollups_1m', '2025-11-23'),
        daily('rollups_1m', '2025-11-24'),
        daily('rollups_1m', '2026-10-24'),
      ];

      expect(sut(partitions)).toEqual(['samples_raw/20261115', 'samples_raw/20261116', 'rollups_10s/20261024', 'rollups_1m/20251123']);
    });

    it('leaves tables the policy does not name alone', () => {
      expect(sut([daily('schema_migrations', '2020-01-01'), daily('other', '2001-01-01')])).toEqual([]);
    });

    it('never drops a partition that is not one day (unpartitioned, monthly, or dates it cannot read)', () => {
      expect(
        sut([
          { table: 'samples_raw', partitionId: 'all', maxDate: '1970-01-01' },
          { table: 'samples_raw', partitionId: '202001', maxDate: '2020-01-31' },
          { table: 'samples_raw', partitionId: '19700101', maxDate: '0000-00-00' },
        ]),
      ).toEqual([]);
    });

    it('refuses a policy with an invalid number of days before looking at anything', () => {
      expect(() => expiredPartitions([], { samples_raw: 0 }, '2026-11-24')).toThrow(RangeError);
    });
  });

  it('docs/clickhouse.md documents the same defaults, one variable per table', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'clickhouse.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `(RETENTION_\w+_DAYS)` \| `(\d+)` \| `(\w+)` \|$/gm)];
    expect(Object.fromEntries(rows.map(([, , days, table]) => [table, Number(days)]))).toEqual(DEFAULT_RETENTION_POLICY);
    expect(rows.map(([, variable]) => variable).sort()).toEqual(['RETENTION_10S_DAYS', 'RETENTION_1M_DAYS', 'RETENTION_ALERTS_DAYS', 'RETENTION_RAW_DAYS']);
  });
});
