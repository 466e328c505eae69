import type { ZooKeeperServer } from './state-types';
import { layoutEnsemble } from './zookeeper-layout';

const server = (name: string, mode: ZooKeeperServer['mode'], up = true): ZooKeeperServer => ({
  server: name,
  up,
  mode,
  latencyAvgSeconds: null,
  latencyMaxSeconds: null,
  outstandingRequests: null,
  connections: null,
  znodes: null,
  watches: null,
});

describe('layoutEnsemble', () => {
  it('puts the leader on top and the others in a row below, down servers marked down', () => {
    const placed = layoutEnsemble([server('zk1', 'follower'), server('zk2', 'leader'), server('zk3', 'down', false)], 400, 200);
    expect(placed.map((p) => [p.server.server, p.role])).toEqual([
      ['zk2', 'leader'],
      ['zk1', 'follower'],
      ['zk3', 'down'],
    ]);
    expect(placed[0].y).toBeLessThan(placed[1].y);
    expect(placed[1].y).toBe(placed[2].y);
    expect(placed[1].x).toBeLessThan(placed[2].x);
  });

  it('without a leader (election, no quorum) keeps everyone on one row', () => {
    const placed = layoutEnsemble([server('a', 'not-serving'), server('b', 'down', false)], 400, 200);
    expect(placed.every((p) => p.role !== 'leader' && p.y === 100)).toBe(true);
  });
});
