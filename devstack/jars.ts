/**
 * The Java side of the stack comes from Maven Central as plain jars: each folder under devstack/maven
 * holds a pom that lists them, and Maven copies them into the cache. Maven runs again only when
 * a pom changes (its hash is kept next to the jars).
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from './commands';
import { DevstackError } from './errors';
import { cacheLogDir, jarsDir } from './paths';
import { checkMaven } from './prerequisites';
import { progress } from './progress';

export type JarSet = 'kafka-zk' | 'kafka-kraft' | 'jolokia' | 'jmx-exporter';

interface JarSetInfo {
  product: string;
  /** Finds the version in the pom, for progress lines. */
  version: RegExp;
  downloadSize: string;
  mavenArgs: string[];
}

const jarSets: Record<JarSet, JarSetInfo> = {
  'kafka-zk': { product: 'Kafka', version: /<kafka\.version>([^<]+)</, downloadSize: '~150 MB', mavenArgs: [] },
  'kafka-kraft': { product: 'Kafka', version: /<kafka\.version>([^<]+)</, downloadSize: '~130 MB', mavenArgs: [] },
  // Only the self-contained agent jar is wanted, not the modules it was assembled from.
  jolokia: {
    product: 'Jolokia',
    version: /<artifactId>jolokia-agent-jvm<\/artifactId>\s*<version>([^<]+)</,
    downloadSize: '~1 MB',
    mavenArgs: ['-DexcludeTransitive=true'],
  },
  // The javaagent jar is shaded: it carries everything it needs.
  'jmx-exporter': {
    product: 'Prometheus JMX exporter',
    version: /<artifactId>jmx_prometheus_javaagent<\/artifactId>\s*<version>([^<]+)</,
    downloadSize: '~3 MB',
    mavenArgs: ['-DexcludeTransitive=true'],
  },
};

function pomPath(set: JarSet): string {
  return join(__dirname, 'maven', set, 'pom.xml');
}

function stampPath(set: JarSet): string {
  return join(jarsDir(set), '.pom-sha256');
}

async function readStamp(set: JarSet): Promise<string | undefined> {
  try {
    return (await readFile(stampPath(set), 'utf8')).trim();
  } catch {
    return undefined;
  }
}

function label(set: JarSet, pom: string): string {
  const info = jarSets[set];
  return `${info.product} ${info.version.exec(pom)?.[1] ?? '(unknown version)'}`;
}

export function mavenLogFile(set: JarSet): string {
  return join(cacheLogDir, `maven-${set}.log`);
}

/** Makes sure the jars of one set are in the cache; returns their folder. */
export async function ensureJars(set: JarSet): Promise<string> {
  const pom = await readFile(pomPath(set), 'utf8');
  const hash = createHash('sha256').update(pom).digest('hex');
  const dir = jarsDir(set);
  if ((await readStamp(set)) === hash) return dir;

  await checkMaven();
  const name = label(set, pom);
  progress(`resolving ${name} jars with Maven (first run downloads ${jarSets[set].downloadSize})…`);
  // Maven copies into a side folder that replaces the old one only when complete,
  // so an interrupted download never leaves a half-filled classpath behind.
  const partial = `${dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  await mkdir(cacheLogDir, { recursive: true });
  const logFile = mavenLogFile(set);
  await writeFile(logFile, '');

  const ticker = setInterval(() => progress(`still resolving ${name} jars (Maven log: ${logFile})…`), 20_000);
  const args = ['-B', '-Dstyle.color=never', '-f', pomPath(set), 'dependency:copy-dependencies', `-DoutputDirectory=${partial}`, ...jarSets[set].mavenArgs];
  const result = await runCommand('mvn', args, { logFile }).finally(() => clearInterval(ticker));

  const jars = result.code === 0 ? (await readdir(partial)).filter((f) => f.endsWith('.jar')) : [];
  if (jars.length === 0) {
    const firstError = /^\[ERROR\] (.+)$/m.exec(result.output)?.[1]?.slice(0, 300);
    throw new DevstackError(
      `Maven could not download the ${name} jars${firstError ? ` (${firstError})` : ''}. Check that this machine can reach Maven Central ` +
        `(https://repo.maven.apache.org/maven2) or the mirror in ~/.m2/settings.xml, then re-run ` +
        `\`npm run devstack -- install\`. Maven log: ${logFile}`,
    );
  }
  await rm(dir, { recursive: true, force: true });
  await rename(partial, dir);
  await writeFile(stampPath(set), `${hash}\n`);
  progress(`${name}: ${jars.length} jars ready in ${dir}`);
  return dir;
}

/** A java -cp value covering every jar of the set (the JVM expands the trailing `*`). */
export function classpath(set: JarSet): string {
  return join(jarsDir(set), '*');
}

export async function jolokiaAgentJar(): Promise<string> {
  const dir = jarsDir('jolokia');
  const agent = (await readdir(dir)).find((f) => /^jolokia-agent-jvm-.*-javaagent\.jar$/.test(f));
  if (!agent) {
    throw new DevstackError(`No Jolokia agent jar in ${dir}: delete that folder and run \`npm run devstack -- install\`.`);
  }
  return join(dir, agent);
}

export async function jmxExporterAgentJar(): Promise<string> {
  const dir = jarsDir('jmx-exporter');
  const agent = (await readdir(dir)).find((f) => /^jmx_prometheus_javaagent-.*\.jar$/.test(f));
  if (!agent) {
    throw new DevstackError(`No Prometheus JMX exporter jar in ${dir}: delete that folder and run \`npm run devstack -- install\`.`);
  }
  return join(dir, agent);
}
