import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MetricSample } from '@doflamingo/contracts';
import { serverSamples } from './server-samples';
import { parseMntr, parseSrvr, statsFromMonitor } from './server-stats';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');
const byMetric = (samples: MetricSample[]) => Object.fromEntries(samples.map((s) => [s.metric, s.value]));

describe('serverSamples', () => {
  it('labels every sample with the server and codes the state (leader = 2) and source (mntr = 1)', () => {
    const stats = statsFromMonitor(parseMntr(fixture('mntr-leader.txt')));
    stats.zxid = parseSrvr(fixture('srvr-leader.txt')).zxid;
    const sut = serverSamples({ server: 'localhost:2183', up: true, mntrAvailable: true, source: 'mntr', stats });
    expect(sut.every((s) => JSON.stringify(s.labels) === '{"server":"localhost:2183"}')).toBe(true);
    expect(byMetric(sut)).toMatchObject({
      zookeeper_server_up: 1,
      zookeeper_mntr_available: 1,
      zookeeper_stats_source: 1,
      zookeeper_server_state: 2,
      zookeeper_zxid_epoch: 5,
      zookeeper_zxid_counter: 0x22b,
      zookeeper_server_version: 30804,
      zookeeper_znodes: 157,
      zookeeper_synced_followers: 2,
    });
  });

  it('reports a refused mntr as an error and leaves its statistics out, never 0', () => {
    const sut = serverSamples({ server: 'localhost:2183', up: true, mntrAvailable: false, source: 'none', stats: { ...parseSrvr(fixture('srvr-follower.txt')), values: new Map() } });
    expect(byMetric(sut)).toEqual({
      zookeeper_server_up: 1,
      zookeeper_mntr_available: 0,
      zookeeper_stats_source: 0,
      zookeeper_server_state: 1,
      zookeeper_zxid_epoch: 5,
      zookeeper_zxid_counter: 0x22b,
      zookeeper_server_version: 30804,
    });
  });

  it('reports a server that does not answer as down and nothing else', () => {
    const sut = serverSamples({ server: 'localhost:2181', up: false, mntrAvailable: false, source: 'none', stats: { values: new Map() } });
    expect(byMetric(sut)).toEqual({ zookeeper_server_up: 0, zookeeper_mntr_available: 0, zookeeper_stats_source: 0 });
  });
});
