import { isAbsolute, normalize } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './config-error';
import { Env } from './env-readers';

/**
 * A Kafka log directory (one entry of a broker's `log.dirs`) as the agent sees it: on the broker's
 * own host, or mounted. Kafka tells nothing over JMX about the disk under it, so the agent looks.
 */
export interface BrokerLogDir {
  /** The broker id, as in `broker.id` / `node.id`. */
  broker: string;
  /** Absolute, normalised (no trailing slash): it is the `dir` label of the log-dir metrics. */
  dir: string;
}

const BROKER_ID = /^(0|[1-9]\d{0,9})$/;
/** The contract's longest label value: the path becomes the `dir` label. */
const MAX_DIR_LENGTH = 1024;
const ENV_FORMAT = 'broker-id=/absolute/path, comma-separated (e.g. 1=/data/kafka1,2=/data/kafka2; repeat an id for several dirs)';

/** What is wrong with a configured path, or undefined when it is usable. */
function dirProblem(dir: string): string | undefined {
  if (!isAbsolute(dir)) return 'an absolute path (the agent resolves nothing against its own working directory)';
  if (dir.length > MAX_DIR_LENGTH) return `a path of at most ${MAX_DIR_LENGTH} characters (it becomes a metric label)`;
  return undefined;
}

function canonical(dir: string): string {
  const normalised = normalize(dir);
  return normalised.length > 1 ? normalised.replace(/\/+$/, '') : normalised;
}

/** The first directory configured twice (for one broker or two), or undefined. */
function duplicateDir(dirs: BrokerLogDir[]): string | undefined {
  const seen = new Set<string>();
  for (const { dir } of dirs) {
    if (seen.has(dir)) return dir;
    seen.add(dir);
  }
  return undefined;
}

const byBroker = (a: BrokerLogDir, b: BrokerLogDir) => Number(a.broker) - Number(b.broker);

/** `MONITOR_KAFKA_LOG_DIRS`-style variable: `1=/data/kafka1,2=/data/kafka2,2=/data2/kafka2`. Unset: none. */
export function readLogDirs(env: Env, name: string): BrokerLogDir[] {
  const value = env[name]?.trim();
  if (!value) return [];
  const dirs = value.split(',').map((item): BrokerLogDir => {
    const match = /^\s*([^=]*?)\s*=\s*(.*?)\s*$/.exec(item);
    if (!match || match[2] === '') throw new ConfigError(name, ENV_FORMAT, item.trim());
    const [, broker, dir] = match;
    if (!BROKER_ID.test(broker)) throw new ConfigError(name, `a broker id (a whole number) before "=" in ${ENV_FORMAT}`, item.trim());
    const problem = dirProblem(dir);
    if (problem) throw new ConfigError(name, `${problem} for broker ${broker}`, dir);
    return { broker, dir: canonical(dir) };
  });
  const duplicate = duplicateDir(dirs);
  if (duplicate) throw new ConfigError(name, 'each directory once (one directory belongs to one broker)', duplicate);
  return dirs.sort(byBroker);
}

/**
 * The clusters file's `logDirs`: broker id → its directory, or a list of them.
 * `{ "1": "/data/kafka1", "2": ["/data/kafka2", "/data2/kafka2"] }`.
 */
export const logDirsFileSchema = z
  .record(
    z.string().regex(BROKER_ID),
    z.preprocess(
      (value) => (typeof value === 'string' ? [value] : value),
      z
        .array(
          z.string().superRefine((dir, context) => {
            const problem = dirProblem(dir);
            if (problem) context.addIssue({ code: 'custom', message: `expected ${problem}` });
          }),
        )
        .min(1, 'expected at least one directory'),
    ),
    { error: (issue) => (issue.code === 'invalid_key' ? 'keys are broker ids (whole numbers, e.g. "1")' : undefined) },
  )
  .default({})
  .transform((record, context) => {
    const dirs = Object.entries(record)
      .flatMap(([broker, list]) => list.map((dir) => ({ broker, dir: canonical(dir) })))
      .sort(byBroker);
    const duplicate = duplicateDir(dirs);
    if (duplicate) context.addIssue({ code: 'custom', message: `${duplicate} is configured twice (one directory belongs to one broker)` });
    return dirs;
  });
