import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export type { AppName } from '@doflamingo/config';
import type { AppName } from '@doflamingo/config';
const repoRoot = join(__dirname, '..', '..');

export function builtAppPath(app: AppName): string {
  const path = join(repoRoot, 'dist', 'apps', app, 'src', 'main.js');
  if (!existsSync(path)) throw new Error(`${path} is missing: run "npm run build" first (npm test does it)`);
  return path;
}

export interface RunningApp {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a built app the way an operator would, with only the given environment on top of PATH. */
export function startApp(app: AppName, env: Record<string, string>): RunningApp {
  const child = spawn(process.execPath, [builtAppPath(app)], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  // 'close', not 'exit': 'exit' can come before the last output has been read from the pipes.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}
