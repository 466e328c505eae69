import { constants } from 'node:fs';
import { access, stat, statfs } from 'node:fs/promises';
import type { BrokerLogDir } from '@doflamingo/config';
import { withTimeout } from '@doflamingo/runtime';
import { DiskSpace, diskSpace } from './log-dir-samples';

export type LogDirReading = { readable: true; space: DiskSpace } | { readable: false; reason: string };

/**
 * Reads the disk space under one log directory. A directory on a hung network filesystem makes
 * statfs block a libuv thread for as long as the mount hangs, and such a call cannot be cancelled:
 * the reader stops waiting at the deadline and starts no second call while the first is stuck, so
 * one bad mount never takes more than one of the few threads every file and DNS call shares.
 */
export class LogDirReader {
  /** The call still running; it outlives its deadline only when the filesystem hangs. */
  private inFlight?: Promise<DiskSpace>;

  constructor(
    readonly logDir: BrokerLogDir,
    private readonly timeoutMs: number,
    private readonly inspect: (dir: string) => Promise<DiskSpace> = inspectDir,
  ) {}

  async read(): Promise<LogDirReading> {
    if (this.inFlight) return { readable: false, reason: `the previous read has not returned after more than ${this.timeoutMs} ms: its filesystem hangs` };
    const call = this.inspect(this.logDir.dir);
    this.inFlight = call;
    // Registered before anyone awaits the call, so a call that settles clears it before read() returns.
    const done = () => {
      if (this.inFlight === call) this.inFlight = undefined;
    };
    call.then(done, done);
    try {
      return { readable: true, space: await withTimeout(call, this.timeoutMs, `reading ${this.logDir.dir}`) };
    } catch (error) {
      return { readable: false, reason: (error as Error).message };
    }
  }
}

/** A directory the agent may list, and the space of its filesystem. One call at a time: a hung mount holds one thread. */
export async function inspectDir(dir: string): Promise<DiskSpace> {
  if (!(await stat(dir)).isDirectory()) throw new Error(`${dir} is not a directory`);
  await access(dir, constants.R_OK | constants.X_OK);
  return diskSpace(await statfs(dir));
}
