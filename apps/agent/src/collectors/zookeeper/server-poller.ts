import { TimeoutError } from '@doflamingo/runtime';
import { adminCommand } from './admin-server';
import { fourLetterWord } from './four-letter-word';
import { ServerReport, StatsSource } from './server-samples';
import { classifyAnswer, isNotServingError, parseAdminStat, parseMntr, parseSrvr, ServerStats, statsFromAdminMonitor, statsFromMonitor, WordAnswer } from './server-stats';

export interface ServerTarget {
  /** host:port of the client port. */
  server: string;
  /** AdminServer base URL, when configured. */
  adminUrl?: string;
}

export interface ServerPoll {
  report: ServerReport;
  /** The server refused mntr (not whitelisted): a configuration error worth a log line. */
  mntrRefused: boolean;
  /** Why the server did not answer, when it did not. */
  failure?: string;
  /** Why the AdminServer fallback failed, when it was needed and failed. */
  adminFailure?: string;
}

type Outcome = WordAnswer | { kind: 'failed'; timedOut: boolean; message: string };

async function ask(server: string, word: string, timeoutMs: number): Promise<Outcome> {
  try {
    return classifyAnswer(word, await fourLetterWord(server, word, timeoutMs));
  } catch (error) {
    return { kind: 'failed', timedOut: error instanceof TimeoutError, message: (error as Error).message };
  }
}

type AdminOutcome = { json: Record<string, unknown> } | { failure: string };

async function askAdmin(baseUrl: string, command: string, timeoutMs: number): Promise<AdminOutcome> {
  try {
    return { json: await adminCommand(baseUrl, command, timeoutMs) };
  } catch (error) {
    return { failure: (error as Error).message };
  }
}

/**
 * One server, one collection: ruok, mntr and srvr at once over TCP; where mntr (or srvr) is refused
 * or fails, the AdminServer's monitor (or stat) instead. A server whose every word timed out is hung:
 * its AdminServer runs in the same JVM, so it is not asked and the collection stays within one deadline.
 */
export async function pollServer(target: ServerTarget, timeoutMs: number): Promise<ServerPoll> {
  const { server, adminUrl } = target;
  const [ruok, mntr, srvr] = await Promise.all(['ruok', 'mntr', 'srvr'].map((word) => ask(server, word, timeoutMs)));
  const hung = [ruok, mntr, srvr].every((o) => o.kind === 'failed' && o.timedOut);
  let up = [ruok, mntr, srvr].some((o) => o.kind !== 'failed');

  let stats: ServerStats = { values: new Map() };
  let source: StatsSource = 'none';
  if (mntr.kind === 'answer') {
    stats = statsFromMonitor(parseMntr(mntr.text));
    source = 'mntr';
  } else if (mntr.kind === 'not-serving' || srvr.kind === 'not-serving') {
    stats.mode = 'not-serving';
  }

  const serving = stats.mode !== 'not-serving';
  const fallBack = (outcome: Outcome) => adminUrl !== undefined && !hung && serving && (outcome.kind === 'refused' || outcome.kind === 'failed');
  const [monitor, stat] = await Promise.all([
    fallBack(mntr) ? askAdmin(adminUrl!, 'monitor', timeoutMs) : undefined,
    fallBack(srvr) ? askAdmin(adminUrl!, 'stat', timeoutMs) : undefined,
  ]);

  let adminFailure: string | undefined;
  if (monitor && 'json' in monitor) {
    up = true;
    if (monitor.json.error === null || monitor.json.error === undefined) {
      stats = statsFromAdminMonitor(monitor.json);
      source = 'admin';
    } else if (isNotServingError(monitor.json.error)) {
      stats.mode = 'not-serving';
    } else {
      adminFailure = String(monitor.json.error);
    }
  } else if (monitor) {
    adminFailure = monitor.failure;
  }

  // mntr has no zxid: it comes from srvr (or the AdminServer's stat), as do mode and version when mntr gave none.
  const identity = srvr.kind === 'answer' ? parseSrvr(srvr.text) : stat && 'json' in stat && !stat.json.error ? parseAdminStat(stat.json) : {};
  if (stat && 'json' in stat) up = true;
  stats.mode ??= identity.mode;
  stats.zxid ??= identity.zxid;
  stats.version ??= identity.version;

  return {
    report: { server, up, mntrAvailable: mntr.kind === 'answer' || mntr.kind === 'not-serving', source, stats },
    mntrRefused: mntr.kind === 'refused',
    failure: up ? undefined : ruok.kind === 'failed' ? ruok.message : 'no answer',
    adminFailure,
  };
}
