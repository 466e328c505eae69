import type { StatsFs } from 'node:fs';
import type { BrokerLogDir } from '@doflamingo/config';
import { logDirMetrics, MetricSample, sample } from '@doflamingo/contracts';

/** The disk under a log directory, in bytes. */
export interface DiskSpace {
  capacityBytes: number;
  /** Available to unprivileged users: the root-reserved blocks are not counted. */
  freeBytes: number;
}

/** statfs counts blocks; `bavail`, not `bfree`, is what a broker not running as root can still fill. */
export function diskSpace(stats: Pick<StatsFs, 'bsize' | 'blocks' | 'bavail'>): DiskSpace {
  return { capacityBytes: stats.blocks * stats.bsize, freeBytes: stats.bavail * stats.bsize };
}

/** One directory's samples: the byte gauges only when it was read (never zeros standing in for "unknown"). */
export function logDirSamples({ broker, dir }: BrokerLogDir, space: DiskSpace | undefined): MetricSample[] {
  const labels = { broker, dir };
  if (space === undefined) return [sample(logDirMetrics.readable, labels, 0)];
  return [
    sample(logDirMetrics.readable, labels, 1),
    sample(logDirMetrics.capacity, labels, space.capacityBytes),
    sample(logDirMetrics.free, labels, space.freeBytes),
  ];
}
