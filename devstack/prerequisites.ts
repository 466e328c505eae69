/** The programs the stack runs on: Java, Maven (to fetch jars) and ClickHouse (from apt). */
import { access } from 'node:fs/promises';
import { runCommand } from './commands';
import { DevstackError } from './errors';
import { progress } from './progress';

export const clickhouseServerBinary = '/usr/sbin/clickhouse-server';
export const clickhouseClientBinary = '/usr/bin/clickhouse-client';

/** The java launcher: $JAVA_HOME/bin/java when JAVA_HOME is set, else the one on PATH. */
export function javaBinary(): string {
  return process.env.JAVA_HOME ? `${process.env.JAVA_HOME}/bin/java` : 'java';
}

export async function checkJava(): Promise<void> {
  const { code, output } = await runCommand(javaBinary(), ['-version']);
  // `java -version` prints e.g.: openjdk version "17.0.15" 2025-04-15 (older JVMs: "1.8.0_392").
  const major = Number(/version "(?:1\.)?(\d+)/.exec(output)?.[1] ?? 0);
  if (code !== 0 || major < 17) {
    throw new DevstackError('Java 17+ is needed: apt-get install -y openjdk-17-jre-headless');
  }
}

export async function checkMaven(): Promise<void> {
  const { code } = await runCommand('mvn', ['-v']);
  if (code !== 0) {
    throw new DevstackError('Maven is needed to download the Kafka jars: apt-get install -y maven');
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

export async function ensureClickHouse(): Promise<void> {
  if (await exists(clickhouseServerBinary)) return;
  const packages = ['clickhouse-server', 'clickhouse-client'];
  progress(`installing ClickHouse with apt-get (${packages.join(', ')})…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let result = await runCommand('apt-get', ['install', '-y', ...packages], { env });
  if (result.code !== 0) {
    // A fresh machine often has no package lists yet.
    progress('apt-get install failed; running apt-get update and trying again…');
    await runCommand('apt-get', ['update'], { env });
    result = await runCommand('apt-get', ['install', '-y', ...packages], { env });
  }
  if (result.code !== 0 || !(await exists(clickhouseServerBinary))) {
    const lastLines = result.output.trim().split('\n').slice(-5).join('\n');
    throw new DevstackError(
      `Could not install ClickHouse. Run as root: apt-get update && apt-get install -y ${packages.join(' ')}\n${lastLines}`,
    );
  }
  progress('ClickHouse installed (the devstack runs its own server; the packaged service is not used)');
}
