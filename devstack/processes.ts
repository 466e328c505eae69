/**
 * Long-running node processes: spawning them detached, pid files, and reading their state from /proc.
 * A pid is only trusted (and signalled) when its command line still carries the node's marker
 * argument, so a pid file that outlived its process can never hit an unrelated program.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pidFile, runDir } from './paths';
import { sleep } from './timing';

export interface LaunchSpec {
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

export type ProcessState = 'running' | 'paused' | 'gone';

/** How the processes this run spawned ended ("exit code 1", "killed by SIGKILL"), for failure messages. */
const endings = new Map<number, string>();

export function howItEnded(pid: number): string | undefined {
  return endings.get(pid);
}

export async function readPidFile(name: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(pidFile(name), 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export async function removePidFile(name: string): Promise<void> {
  await rm(pidFile(name), { force: true });
}

async function readProcFile(pid: number, file: string): Promise<string | undefined> {
  try {
    return await readFile(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

export async function commandLine(pid: number): Promise<string[] | undefined> {
  const raw = await readProcFile(pid, 'cmdline');
  return raw === undefined ? undefined : raw.split('\0').filter((arg) => arg !== '');
}

export async function processState(pid: number): Promise<ProcessState> {
  const stat = await readProcFile(pid, 'stat');
  if (stat === undefined) return 'gone';
  // Format: "pid (comm) S ...": comm may itself contain spaces and parentheses, so split after the last ')'.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  if (state === 'Z' || state === 'X') return 'gone';
  if (state === 'T' || state === 't') return 'paused';
  return 'running';
}

/** Resident memory in MB (VmRSS from /proc/<pid>/status). */
export async function rssMb(pid: number): Promise<number | undefined> {
  const status = await readProcFile(pid, 'status');
  const kb = status === undefined ? undefined : /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
}

export async function isOurProcess(pid: number, marker: string): Promise<boolean> {
  const argv = await commandLine(pid);
  return argv !== undefined && argv.includes(marker) && (await processState(pid)) !== 'gone';
}

/**
 * The pid of the node's live process, or undefined. A pid file that points at a dead or foreign
 * process is stale and gets removed.
 */
export async function ownedPid(name: string, marker: string): Promise<number | undefined> {
  const pid = await readPidFile(name);
  if (pid === undefined) return undefined;
  if (await isOurProcess(pid, marker)) return pid;
  await removePidFile(name);
  return undefined;
}

/** Separates the runs in a console log; error messages show only what follows the last one. */
export const consoleStartPrefix = '=== devstack started ';

function consoleStartLine(name: string): string {
  return `${consoleStartPrefix}${name} at ${new Date().toISOString()} ===`;
}

/** Starts a process that outlives this one; its stdout/stderr are appended to consoleLogPath. */
export async function spawnDetached(name: string, spec: LaunchSpec, consoleLogPath: string): Promise<number> {
  await mkdir(dirname(consoleLogPath), { recursive: true });
  await mkdir(runDir, { recursive: true });
  const fd = openSync(consoleLogPath, 'a');
  try {
    writeSync(fd, `${consoleStartLine(name)}\n`);
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    child.on('error', () => undefined); // a failed start is reported below through the missing pid
    if (child.pid === undefined) {
      throw new Error(`could not start ${spec.command} for ${name}`);
    }
    const pid = child.pid;
    child.on('exit', (code, signal) => endings.set(pid, signal ? `killed by ${signal}` : `exit code ${code}`));
    child.unref();
    await writeFile(pidFile(name), `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

/** Sends a signal; false when the process no longer exists. */
export function sendSignal(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** Waits until the process is gone; true if it went within the time. */
export async function waitForExit(pid: number, marker: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await isOurProcess(pid, marker))) return true;
    await sleep(200);
  }
  return !(await isOurProcess(pid, marker));
}
