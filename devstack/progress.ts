/**
 * Progress lines ("[  4.1s] zk1 … up (leader)") for slow steps: jar downloads, JVM starts.
 * They go to stderr so that `status --json` keeps stdout machine-readable.
 */
export type Reporter = (line: string) => void;

let reporter: Reporter = (line) => process.stderr.write(`${line}\n`);
let clockStart = Date.now();
let depth = 0;

/** Replaces where progress lines go, e.g. `setReporter(() => {})` in tests. */
export function setReporter(next: Reporter): void {
  reporter = next;
}

export function progress(message: string): void {
  const seconds = ((Date.now() - clockStart) / 1000).toFixed(1).padStart(5);
  reporter(`[${seconds}s] ${message}`);
}

/** Runs one user-level operation; its progress lines count seconds from its start (nested calls share the clock). */
export async function operation<T>(work: () => Promise<T>): Promise<T> {
  if (depth === 0) clockStart = Date.now();
  depth += 1;
  try {
    return await work();
  } finally {
    depth -= 1;
  }
}
