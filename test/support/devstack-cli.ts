import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { StackStatus } from '../../devstack/stack';

const repoRoot = join(__dirname, '..', '..');

/** Runs the devstack command line exactly as an operator would, and returns what it printed. */
export async function devstackCli(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(join(repoRoot, 'node_modules', '.bin', 'tsx'), ['devstack/cli.ts', ...args], {
    cwd: repoRoot,
    timeout: 180000,
  });
  return stdout;
}

export async function devstackStatus(profile: 'zk' | 'kraft' | 'all' = 'zk'): Promise<StackStatus> {
  return JSON.parse(await devstackCli('status', '--profile', profile, '--json')) as StackStatus;
}
