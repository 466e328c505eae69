/** What the stack needs to know to run one kind of node; one implementation per kind. */
import { Health } from '../health-checks';
import { JarSet } from '../jars';
import { LaunchSpec } from '../processes';
import { NodeSpec } from '../topology';

export interface NodeDriver {
  /** Jar sets that must be in the cache before the node can start. */
  jarSets: JarSet[];
  /** Writes configuration, creates data folders and runs one-off setup (e.g. formatting KRaft storage). */
  prepare(node: NodeSpec): Promise<void>;
  launch(node: NodeSpec): Promise<LaunchSpec>;
  /** The exact command-line argument that proves a pid is this node (see processes.ts). */
  marker(node: NodeSpec): string;
  /** What must already run before this node can start; returns the problem, or undefined when fine. */
  precondition?(node: NodeSpec): Promise<string | undefined>;
  /** One quick probe of this node alone. */
  health(node: NodeSpec, timeoutMs?: number): Promise<Health>;
  /** The log to show when the node does not come up. */
  logFile(node: NodeSpec): string;
  /** A second log that holds only errors, shown beside the main one. */
  errorLogFile?(node: NodeSpec): string;
  /** After a SIGKILL, how long a restart has to wait for leftovers of the old process to clear, and why. */
  restartAfterKill?: { delayMs: number; reason: string };
  /** Seconds to wait before retrying, when the log written since the start shows a failure that passes by itself. */
  retryableStartFailure?(logSinceStart: string): { reason: string; waitSeconds: number } | undefined;
}
