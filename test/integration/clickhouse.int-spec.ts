import { ClickHouseClient } from '@clickhouse/client';
import { createClickHouseClient, MIGRATIONS, MigrationRunner, stringLiteral } from '@doflamingo/clickhouse';
import { endpoints } from '../../devstack/topology';

describe('ClickHouse (devstack)', () => {
  let client: ClickHouseClient;
  const database = `doflamingo_test_${process.pid}_${Date.now()}`;

  beforeAll(() => {
    client = createClickHouseClient({ url: endpoints.clickhouseUrl, database: 'default', username: 'default', password: '', requestTimeoutMs: 10000 });
  });
  afterAll(async () => {
    await client.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    await client.close();
  });

  it('answers SELECT version()', async () => {
    const rows = await (await client.query({ query: 'SELECT version() AS version', format: 'JSONEachRow' })).json<{ version: string }>();
    expect(rows[0].version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('reads back every escaped string literal exactly as written', async () => {
    const nasty = ["it's", 'back\\slash', "'; DROP DATABASE default; --", 'tab\tnew\nline\u0000nul', 'ünïcødé ✓'];
    const query = `SELECT ${nasty.map((value, i) => `${stringLiteral(value)} AS s${i}`).join(', ')}`;
    const [row] = await (await client.query({ query, format: 'JSONEachRow' })).json<Record<string, string>>();
    expect(nasty.map((_, i) => row[`s${i}`])).toEqual(nasty);
  });

  it('applies the migrations once, and a second run applies nothing', async () => {
    const sut = new MigrationRunner(client, database, MIGRATIONS);
    const first = await sut.migrate();
    const second = await sut.migrate();

    const versions = MIGRATIONS.map((m) => m.version);
    expect(first).toEqual({ applied: versions, alreadyApplied: [] });
    expect(second).toEqual({ applied: [], alreadyApplied: versions });
    const [exists] = await (await client.query({ query: `EXISTS TABLE ${database}.samples_raw`, format: 'JSONEachRow' })).json<{ result: number }>();
    expect(Number(exists.result)).toBe(1);
  });

  it('lets a redelivered raw sample replace itself', async () => {
    await new MigrationRunner(client, database, MIGRATIONS).migrate();
    const sample = { ts: '2026-11-24 10:00:00', ts_ms: 250, cluster: 'c', metric: 'm', series_id: '42', label_names: ['a'], label_values: ['b'], value: 1, agent: 'a1', collector: 'x' };
    await client.insert({ table: `${database}.samples_raw`, values: [sample], format: 'JSONEachRow' });
    await client.insert({ table: `${database}.samples_raw`, values: [sample], format: 'JSONEachRow' });
    const [row] = await (await client.query({ query: `SELECT count() AS n FROM ${database}.samples_raw FINAL`, format: 'JSONEachRow' })).json<{ n: string }>();
    expect(Number(row.n)).toBe(1);
  });
});
