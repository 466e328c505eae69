import { ClickHouseClient } from '@clickhouse/client';
import { Migration } from './migration';
import { identifier, qualified } from './sql';

export interface MigrationReport {
  applied: number[];
  alreadyApplied: number[];
}

/**
 * Brings a database up to the newest schema version. Creates the database and the ledger
 * (`schema_migrations`) when missing, then applies, in order, each migration the ledger lacks.
 */
export class MigrationRunner {
  constructor(
    private readonly client: ClickHouseClient,
    private readonly database: string,
    private readonly migrations: Migration[],
  ) {
    const versions = migrations.map((m) => m.version);
    if (versions.some((v, i) => i > 0 && v <= versions[i - 1])) {
      throw new Error(`migrations must have strictly increasing versions, got ${versions.join(', ')}`);
    }
  }

  async migrate(): Promise<MigrationReport> {
    const db = identifier(this.database);
    await this.client.command({ query: `CREATE DATABASE IF NOT EXISTS ${db}` });
    await this.client.command({
      query: `CREATE TABLE IF NOT EXISTS ${qualified(db, 'schema_migrations')} (
        version UInt32, name String, applied_at DateTime DEFAULT now()
      ) ENGINE = ReplacingMergeTree(applied_at) ORDER BY version`,
    });
    const done = new Set(await this.appliedVersions());
    const report: MigrationReport = { applied: [], alreadyApplied: [] };
    for (const migration of this.migrations) {
      if (done.has(migration.version)) {
        report.alreadyApplied.push(migration.version);
        continue;
      }
      for (const statement of migration.statements) {
        await this.client.command({ query: statement.replaceAll('{db}', db) });
      }
      await this.client.insert({
        table: qualified(db, 'schema_migrations'),
        values: [{ version: migration.version, name: migration.name }],
        format: 'JSONEachRow',
      });
      report.applied.push(migration.version);
    }
    return report;
  }

  async appliedVersions(): Promise<number[]> {
    const result = await this.client.query({
      query: `SELECT DISTINCT version FROM ${qualified(this.database, 'schema_migrations')} ORDER BY version`,
      format: 'JSONEachRow',
    });
    const rows = await result.json<{ version: number | string }>();
    return rows.map((row) => Number(row.version));
  }
}
