/** Running short-lived helper programs (java -version, mvn, apt-get) and waiting for them. */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export interface CommandResult {
  /** Exit code, or null when the program could not be started at all (e.g. not installed). */
  code: number | null;
  output: string;
}

export interface RunOptions {
  /** Also append everything the program prints to this file. */
  logFile?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Runs a program to completion; never throws, the caller decides what a failure means. */
export function runCommand(command: string, args: string[], options: RunOptions = {}): Promise<CommandResult> {
  return new Promise((resolvePromise) => {
    const log = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
    const chunks: Buffer[] = [];
    let finished = false;
    const finish = (code: number | null) => {
      if (finished) return; // 'error' and 'close' can both arrive for a program that failed to start
      finished = true;
      const output = Buffer.concat(chunks).toString('utf8');
      if (log) log.end(() => resolvePromise({ code, output }));
      else resolvePromise({ code, output });
    };
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => {
      chunks.push(chunk);
      log?.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', () => finish(null));
    child.on('close', (code) => finish(code));
  });
}
