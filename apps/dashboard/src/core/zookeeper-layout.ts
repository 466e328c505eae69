import type { ZooKeeperServer } from './state-types';

export interface PlacedServer {
  server: ZooKeeperServer;
  x: number;
  y: number;
  role: 'leader' | 'follower' | 'observer' | 'down' | 'other';
}

/**
 * The ensemble as a picture: the leader at the top centre, the others on an arc below it, so
 * "who leads, who follows, who is down" reads at a glance. Coordinates in a 0..width box.
 */
export function layoutEnsemble(servers: readonly ZooKeeperServer[], width: number, height: number): PlacedServer[] {
  const roleOf = (s: ZooKeeperServer): PlacedServer['role'] =>
    s.up === false || s.mode === 'down' ? 'down' : s.mode === 'leader' || s.mode === 'standalone' ? 'leader' : s.mode === 'follower' ? 'follower' : s.mode === 'observer' ? 'observer' : 'other';
  const leader = servers.find((s) => roleOf(s) === 'leader');
  const others = servers.filter((s) => s !== leader);
  const placed: PlacedServer[] = [];
  if (leader) placed.push({ server: leader, x: width / 2, y: height * 0.25, role: 'leader' });
  const n = others.length;
  others.forEach((s, i) => {
    const x = n === 1 ? width / 2 : width * (0.15 + (0.7 * i) / (n - 1));
    placed.push({ server: s, x, y: leader ? height * 0.75 : height / 2, role: roleOf(s) });
  });
  return placed;
}
