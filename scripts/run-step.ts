import { spawn } from 'node:child_process';

/** Progress lines for the two top-level commands: what is happening and how long it took. */
const started = Date.now();
export function say(message: string): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(0).padStart(4);
  process.stdout.write(`[${seconds}s] ${message}\n`);
}

/** Runs a command with inherited output; rejects with a message naming the step when it fails. */
export function run(step: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  say(step);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    child.once('error', (error) => reject(new Error(`${step} could not start ${command}: ${error.message}`)));
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${step} failed (${signal ?? `exit code ${code}`})`)),
    );
  });
}

export const tsx = 'node_modules/.bin/tsx';
export const devstack = (...args: string[]) => [tsx, ['devstack/cli.ts', ...args]] as const;
