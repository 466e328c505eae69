import { MetricSample, sample, zookeeperMetrics as z } from '@doflamingo/contracts';
import { ServerReport } from './server-samples';
import { ServerMode } from './server-stats';

const SERVING: ReadonlySet<ServerMode | undefined> = new Set<ServerMode>(['leader', 'follower', 'observer', 'standalone']);

/**
 * The server that leads now. Right after an election a deposed leader may still claim the role for
 * a moment; the claim with the newest zxid epoch is the real one.
 */
export function findLeader(reports: readonly ServerReport[]): ServerReport | undefined {
  let leader: ServerReport | undefined;
  for (const report of reports) {
    if (!report.up || report.stats.mode !== 'leader') continue;
    if (!leader || (report.stats.zxid?.epoch ?? -1) > (leader.stats.zxid?.epoch ?? -1)) leader = report;
  }
  return leader;
}

/**
 * Whether the ensemble can commit writes: a leader plus enough synced followers to be a majority of
 * the voting members. The leader's own counts are the truth; without them, the servers seen
 * following stand in for its synced followers.
 */
export function hasQuorum(reports: readonly ServerReport[], leader: ServerReport | undefined): boolean {
  if (reports.some((r) => r.up && r.stats.mode === 'standalone')) return true;
  if (!leader) return false;
  const voting = leader.stats.quorumSize ?? reports.length;
  const synced = leader.stats.values.get(z.syncedFollowers);
  const voters = synced !== undefined ? synced + 1 : reports.filter((r) => r.up && (r.stats.mode === 'leader' || r.stats.mode === 'follower')).length;
  return voters > voting / 2;
}

/**
 * Counts leader changes across collections: another server leading, or the same server leading a
 * new epoch (it lost and won an election between two collections). Collections without a leader
 * count nothing by themselves; the change is counted when the next leader shows up.
 */
export class LeaderChanges {
  private last?: { server: string; epoch?: number };
  private total = 0;

  observe(leader: { server: string; epoch?: number } | undefined): number {
    if (!leader) return this.total;
    const last = this.last;
    if (last && (leader.server !== last.server || (leader.epoch !== undefined && last.epoch !== undefined && leader.epoch > last.epoch))) this.total++;
    this.last = leader;
    return this.total;
  }
}

/** The label-free ensemble view, plus which server leads. */
export function ensembleSamples(reports: readonly ServerReport[], leaderChangesTotal: number): MetricSample[] {
  const leader = findLeader(reports);
  const samples = [
    sample(z.serversConfigured, {}, reports.length),
    sample(z.serversUp, {}, reports.filter((r) => r.up).length),
    sample(z.serversServing, {}, reports.filter((r) => r.up && SERVING.has(r.stats.mode)).length),
    sample(z.quorum, {}, Number(hasQuorum(reports, leader))),
    sample(z.leaderChanges, {}, leaderChangesTotal),
  ];
  for (const report of reports) {
    if (report.up && report.stats.mode !== undefined) samples.push(sample(z.serverIsLeader, { server: report.server }, Number(report === leader)));
  }
  const followers = leader?.stats.values.get(z.followers);
  const synced = leader?.stats.values.get(z.syncedFollowers);
  if (followers !== undefined) samples.push(sample(z.ensembleFollowers, {}, followers));
  if (synced !== undefined) samples.push(sample(z.ensembleSyncedFollowers, {}, synced));
  return samples;
}
