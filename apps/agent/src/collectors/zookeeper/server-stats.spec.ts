import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zookeeperMetrics as z } from '@doflamingo/contracts';
import { classifyAnswer, parseAdminStat, parseMntr, parseSrvr, statsFromAdminMonitor, statsFromMonitor, versionCode } from './server-stats';

// Captured from the devstack (ZooKeeper 3.8.4): zk3 leading, zk1 following, zk3 refusing mntr, zk3 alone.
const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');
const json = (name: string) => JSON.parse(fixture(name)) as Record<string, unknown>;

describe('mntr', () => {
  it("maps the leader's answer to every catalogued statistic, in catalogue units", () => {
    const sut = statsFromMonitor(parseMntr(fixture('mntr-leader.txt')));
    expect(sut.mode).toBe('leader');
    expect(sut.version).toBe(30804);
    expect(sut.quorumSize).toBe(3);
    expect(Object.fromEntries([...sut.values].map(([metric, value]) => [metric.name, value]))).toEqual({
      zookeeper_request_latency_avg_seconds: 0.0030537,
      zookeeper_request_latency_min_seconds: 0,
      zookeeper_request_latency_max_seconds: 0.034,
      zookeeper_outstanding_requests: 0,
      zookeeper_alive_connections: 1,
      zookeeper_znodes: 157,
      zookeeper_watches: 0,
      zookeeper_ephemerals: 4,
      zookeeper_approximate_data_size_bytes: 13567,
      zookeeper_open_file_descriptors: 131,
      zookeeper_max_file_descriptors: 20000,
      zookeeper_packets_received_total: 383,
      zookeeper_packets_sent_total: 399,
      zookeeper_uptime_seconds: 430.193,
      zookeeper_followers: 2,
      zookeeper_synced_followers: 2,
      zookeeper_pending_syncs: 0,
    });
  });

  it('leaves the leader-only statistics out for a follower rather than reporting 0', () => {
    const sut = statsFromMonitor(parseMntr(fixture('mntr-follower.txt')));
    expect(sut.mode).toBe('follower');
    expect(sut.values.get(z.znodes)).toBe(157);
    expect(sut.values.has(z.followers)).toBe(false);
    expect(sut.values.has(z.syncedFollowers)).toBe(false);
    expect(sut.values.has(z.pendingSyncs)).toBe(false);
  });

  it('tolerates unknown keys, stray lines and non-numeric values', () => {
    const sut = statsFromMonitor(parseMntr('zk_brand_new_metric\t42\nnot a key value line\n\nzk_znode_count\t7\nzk_watch_count\tmany\nzk_followers\t4\n'));
    expect(sut.values.get(z.znodes)).toBe(7);
    expect(sut.values.has(z.watches)).toBe(false);
    expect(sut.values.get(z.followers)).toBe(4); // ZooKeeper before 3.6 says followers, not learners
    expect(sut.mode).toBeUndefined();
  });

  it('recognises a refusal (not whitelisted) and a server without quorum', () => {
    expect(classifyAnswer('mntr', fixture('mntr-not-whitelisted.txt'))).toEqual({ kind: 'refused' });
    expect(classifyAnswer('mntr', fixture('mntr-not-serving.txt'))).toEqual({ kind: 'not-serving' });
    expect(classifyAnswer('srvr', fixture('srvr-not-serving.txt'))).toEqual({ kind: 'not-serving' });
    expect(classifyAnswer('srvr', fixture('mntr-not-whitelisted.txt')).kind).toBe('answer'); // a refusal of mntr is not one of srvr
    expect(classifyAnswer('mntr', fixture('mntr-leader.txt')).kind).toBe('answer');
  });
});

describe('srvr', () => {
  it('gives mode, zxid split into epoch and counter, and version', () => {
    expect(parseSrvr(fixture('srvr-leader.txt'))).toEqual({ mode: 'leader', zxid: { epoch: 5, counter: 0x22b }, version: 30804 });
    expect(parseSrvr(fixture('srvr-follower.txt'))).toMatchObject({ mode: 'follower', zxid: { epoch: 5, counter: 0x22b } });
  });

  it('gives nothing for an answer that is not srvr output', () => {
    expect(parseSrvr(fixture('srvr-not-serving.txt'))).toEqual({ mode: undefined, zxid: undefined, version: undefined });
  });
});

describe('AdminServer', () => {
  it('maps /commands/monitor to the same statistics as mntr', () => {
    const fromAdmin = statsFromAdminMonitor(json('admin-monitor-leader.json'));
    const fromMntr = statsFromMonitor(parseMntr(fixture('mntr-leader.txt')));
    expect(fromAdmin.mode).toBe('leader');
    expect(fromAdmin.version).toBe(30804);
    expect([...fromAdmin.values.keys()].map((m) => m.name).sort()).toEqual([...fromMntr.values.keys()].map((m) => m.name).sort());
    expect(fromAdmin.values.get(z.latencyAvg)).toBe(0.0030537);
    expect(fromAdmin.values.get(z.znodes)).toBe(157);
    expect(fromAdmin.values.get(z.syncedFollowers)).toBe(2);
    expect(fromAdmin.values.get(z.uptime)).toBe(430.275);
  });

  it("leaves a follower's leader-only statistics out", () => {
    const sut = statsFromAdminMonitor(json('admin-monitor-follower.json'));
    expect(sut.mode).toBe('follower');
    expect(sut.values.has(z.syncedFollowers)).toBe(false);
  });

  it('reads mode and the decimal zxid from /commands/stat like srvr', () => {
    expect(parseAdminStat(json('admin-stat-leader.json'))).toEqual({ mode: 'leader', zxid: { epoch: 5, counter: 0x22b }, version: 30804 });
  });
});

describe('versionCode', () => {
  it('encodes major.minor.patch as one number', () => {
    expect(versionCode('3.8.4-9316c2a7a97e1666d8f4593f34dd6fc36ecc436c, built on 2024-02-12 22:16 UTC')).toBe(30804);
    expect(versionCode('3.4.14')).toBe(30414);
    expect(versionCode('unknown')).toBeUndefined();
  });
});
