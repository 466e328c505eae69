import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MetricSample, zookeeperMetrics as z } from '@doflamingo/contracts';
import { ensembleSamples, findLeader, LeaderChanges } from './ensemble-view';
import { ServerReport } from './server-samples';
import { parseMntr, parseSrvr, ServerStats, statsFromMonitor } from './server-stats';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

/** A report built from real mntr + srvr output, as the poller builds it. */
function fromMntr(server: string, mntr: string, srvr: string): ServerReport {
  const stats = statsFromMonitor(parseMntr(fixture(mntr)));
  stats.zxid = parseSrvr(fixture(srvr)).zxid;
  return { server, up: true, mntrAvailable: true, source: 'mntr', stats };
}

function report(server: string, stats: Partial<ServerStats>, up = true): ServerReport {
  return { server, up, mntrAvailable: up, source: up ? 'mntr' : 'none', stats: { values: new Map(), ...stats } };
}

const down = (server: string) => report(server, {}, false);

function value(samples: MetricSample[], metric: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.metric === metric && JSON.stringify(s.labels) === JSON.stringify(labels))?.value;
}

describe('ensembleSamples', () => {
  it('reports a healthy ensemble: all up and serving, one leader, quorum, followers as the leader counts them', () => {
    const sut = ensembleSamples(
      [fromMntr('zk1:2181', 'mntr-follower.txt', 'srvr-follower.txt'), fromMntr('zk2:2182', 'mntr-follower.txt', 'srvr-follower.txt'), fromMntr('zk3:2183', 'mntr-leader.txt', 'srvr-leader.txt')],
      0,
    );
    expect(value(sut, 'zookeeper_servers_configured')).toBe(3);
    expect(value(sut, 'zookeeper_servers_up')).toBe(3);
    expect(value(sut, 'zookeeper_servers_serving')).toBe(3);
    expect(value(sut, 'zookeeper_quorum_up')).toBe(1);
    expect(sut.filter((s) => s.metric === 'zookeeper_server_is_leader').map((s) => [s.labels.server, s.value])).toEqual([
      ['zk1:2181', 0],
      ['zk2:2182', 0],
      ['zk3:2183', 1],
    ]);
    expect(value(sut, 'zookeeper_ensemble_followers')).toBe(2);
    expect(value(sut, 'zookeeper_ensemble_synced_followers')).toBe(2);
  });

  it('keeps the quorum with one of three servers dead and a new leader synced with the other', () => {
    const leader = report('zk2:2182', { mode: 'leader', quorumSize: 3, values: new Map([[z.followers, 1], [z.syncedFollowers, 1]]) });
    const sut = ensembleSamples([report('zk1:2181', { mode: 'follower' }), leader, down('zk3:2183')], 1);
    expect(value(sut, 'zookeeper_servers_up')).toBe(2);
    expect(value(sut, 'zookeeper_quorum_up')).toBe(1);
    expect(value(sut, 'zookeeper_server_is_leader', { server: 'zk2:2182' })).toBe(1);
    expect(value(sut, 'zookeeper_server_is_leader', { server: 'zk3:2183' })).toBeUndefined(); // nobody knows what a dead server does
    expect(value(sut, 'zookeeper_ensemble_synced_followers')).toBe(1);
    expect(value(sut, 'zookeeper_leader_changes_total')).toBe(1);
  });

  it('has no quorum when only one of three servers runs: up but not serving, no leader', () => {
    const sut = ensembleSamples([down('zk1:2181'), down('zk2:2182'), report('zk3:2183', { mode: 'not-serving' })], 0);
    expect(value(sut, 'zookeeper_servers_up')).toBe(1);
    expect(value(sut, 'zookeeper_servers_serving')).toBe(0);
    expect(value(sut, 'zookeeper_quorum_up')).toBe(0);
    expect(value(sut, 'zookeeper_server_is_leader', { server: 'zk3:2183' })).toBe(0);
    expect(value(sut, 'zookeeper_ensemble_followers')).toBeUndefined();
  });

  it('has no quorum when the leader keeps too few synced followers', () => {
    const leader = report('zk1:2181', { mode: 'leader', quorumSize: 5, values: new Map([[z.syncedFollowers, 1]]) });
    expect(value(ensembleSamples([leader, report('zk2:2182', { mode: 'follower' })], 0), 'zookeeper_quorum_up')).toBe(0);
  });

  it('counts the servers seen following when the leader reports no statistics (mntr off, no AdminServer)', () => {
    const leader = report('zk1:2181', { mode: 'leader' });
    expect(value(ensembleSamples([leader, report('zk2:2182', { mode: 'follower' }), down('zk3:2183')], 0), 'zookeeper_quorum_up')).toBe(1);
    expect(value(ensembleSamples([leader, down('zk2:2182'), down('zk3:2183')], 0), 'zookeeper_quorum_up')).toBe(0);
  });

  it('takes a standalone server as its own quorum', () => {
    expect(value(ensembleSamples([report('zk:2181', { mode: 'standalone' })], 0), 'zookeeper_quorum_up')).toBe(1);
  });
});

describe('findLeader', () => {
  it('believes the newest epoch when a deposed leader still claims the role', () => {
    const stale = report('zk1:2181', { mode: 'leader', zxid: { epoch: 5, counter: 900 } });
    const current = report('zk2:2182', { mode: 'leader', zxid: { epoch: 6, counter: 0 } });
    expect(findLeader([stale, current])?.server).toBe('zk2:2182');
    expect(findLeader([current, stale])?.server).toBe('zk2:2182');
  });
});

describe('LeaderChanges', () => {
  it('counts nothing for the first leader seen nor for the same leader in the same epoch', () => {
    const sut = new LeaderChanges();
    expect(sut.observe({ server: 'a', epoch: 5 })).toBe(0);
    expect(sut.observe({ server: 'a', epoch: 5 })).toBe(0);
  });

  it('counts another server leading, across collections without any leader', () => {
    const sut = new LeaderChanges();
    sut.observe({ server: 'a', epoch: 5 });
    expect(sut.observe(undefined)).toBe(0);
    expect(sut.observe({ server: 'b', epoch: 6 })).toBe(1);
    expect(sut.observe({ server: 'a', epoch: 7 })).toBe(2);
  });

  it('counts the same server winning a new election (new epoch)', () => {
    const sut = new LeaderChanges();
    sut.observe({ server: 'a', epoch: 5 });
    expect(sut.observe({ server: 'a', epoch: 6 })).toBe(1);
    expect(sut.observe({ server: 'a' })).toBe(1); // epoch unknown this time: no evidence of an election
  });
});
