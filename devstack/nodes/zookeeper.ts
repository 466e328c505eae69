/** A ZooKeeper 3.8 server, one of the three-server ensemble that the Kafka 3.9 brokers use. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { zookeeperHealth } from '../health-checks';
import { classpath } from '../jars';
import { logDir, nodeDir } from '../paths';
import { heap, NodeSpec, nodesOf } from '../topology';
import { DevstackError } from '../errors';
import { NodeDriver } from './driver';
import { propertiesText, writeConfigFile } from './config-files';
import { jvmLaunchSpec, jvmMarker } from './jvm';

const configFile = (node: NodeSpec) => join(nodeDir(node), 'zoo.cfg');
const log4jFile = (node: NodeSpec) => join(nodeDir(node), 'log4j.properties');
const dataDir = (node: NodeSpec) => join(nodeDir(node), 'data');

/** The four-letter words every devstack ZooKeeper allows unless a start asks for fewer. */
export const standardFourLetterWords = 'mntr,ruok,srvr,stat,cons,wchs,conf,isro';
const whitelistKey = '4lw.commands.whitelist';

/**
 * Checks a whitelist given on the command line. The devstack's own health probes use ruok and srvr,
 * so a list without them would make a healthy server look dead.
 */
export function checkFourLetterWords(list: string): string {
  const words = list.split(',').map((word) => word.trim());
  if (!words.every((word) => word === '*' || /^[a-z]{4}$/.test(word))) {
    throw new DevstackError(`a four-letter-word list looks like 'ruok,srvr' (or '*'), got '${list}'`);
  }
  if (!words.includes('*') && !(words.includes('ruok') && words.includes('srvr'))) {
    throw new DevstackError(`the four-letter-word list must keep ruok and srvr (the devstack's health checks use them), got '${list}'`);
  }
  return words.join(',');
}

const sameWords = (a: string, b: string) => a.split(',').sort().join(',') === b.split(',').sort().join(',');

/** Whether the running server (started from the zoo.cfg on disk) has this whitelist; undefined when unknown. */
export async function runsWithFourLetterWords(node: NodeSpec, list = standardFourLetterWords): Promise<boolean | undefined> {
  let text: string;
  try {
    text = await readFile(configFile(node), 'utf8');
  } catch {
    return undefined;
  }
  const configured = text.split('\n').find((line) => line.startsWith(`${whitelistKey}=`))?.slice(whitelistKey.length + 1);
  return configured === undefined ? undefined : sameWords(configured, list);
}

function zooCfg(node: NodeSpec, fourLetterWords: string): string {
  const servers = Object.fromEntries(
    nodesOf('zk')
      .filter((n) => n.kind === 'zookeeper')
      .map((n) => [`server.${n.id}`, `localhost:${n.ports.quorum}:${n.ports.election}`]),
  );
  return propertiesText(`ZooKeeper ${node.name}`, {
    tickTime: 2000,
    initLimit: 10,
    syncLimit: 5,
    dataDir: dataDir(node),
    clientPort: node.port,
    clientPortAddress: '127.0.0.1',
    // Agents, brokers and health probes all connect from 127.0.0.1; the default cap of 60 per address is too low.
    maxClientCnxns: 0,
    [whitelistKey]: fourLetterWords,
    'admin.enableServer': true,
    'admin.serverAddress': '127.0.0.1',
    'admin.serverPort': node.ports.admin,
    'autopurge.snapRetainCount': 3,
    'autopurge.purgeInterval': 1,
    // Transaction logs are pre-allocated in 64 MB steps by default; 4 MB is plenty here.
    preAllocSize: 4096,
    ...servers,
  });
}

function log4jProperties(node: NodeSpec): string {
  const file = join(logDir(node), 'zookeeper.log');
  return [
    '# ZooKeeper logs to a file in the node folder, never to the console.',
    'log4j.rootLogger=INFO, file',
    'log4j.appender.file=org.apache.log4j.RollingFileAppender',
    `log4j.appender.file.File=${file}`,
    'log4j.appender.file.MaxFileSize=10MB',
    'log4j.appender.file.MaxBackupIndex=3',
    'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.file.layout.ConversionPattern=%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n',
    // Every health probe and four-letter word would otherwise leave INFO lines.
    'log4j.logger.org.apache.zookeeper.server.NIOServerCnxn=WARN',
    'log4j.logger.org.apache.zookeeper.server.NIOServerCnxnFactory=WARN',
    'log4j.logger.org.apache.zookeeper.server.command=WARN',
    'log4j.logger.org.apache.zookeeper.audit=WARN',
    'log4j.logger.org.eclipse.jetty=WARN',
    '',
  ].join('\n');
}

/** Writes the node's files for one start; `fourLetterWords` replaces the standard whitelist for this run only. */
export async function prepareZookeeper(node: NodeSpec, fourLetterWords = standardFourLetterWords): Promise<void> {
  await mkdir(dataDir(node), { recursive: true });
  await mkdir(logDir(node), { recursive: true });
  await writeFile(join(dataDir(node), 'myid'), `${node.id}\n`);
  await writeConfigFile(configFile(node), zooCfg(node, checkFourLetterWords(fourLetterWords)));
  await writeConfigFile(log4jFile(node), log4jProperties(node));
}

export const zookeeperDriver: NodeDriver = {
  jarSets: ['kafka-zk'],

  prepare: (node) => prepareZookeeper(node),

  async launch(node) {
    return jvmLaunchSpec({
      node,
      cwd: nodeDir(node),
      heap: heap.zookeeper,
      metaspace: '64m',
      classpath: classpath('kafka-zk'),
      mainClass: 'org.apache.zookeeper.server.quorum.QuorumPeerMain',
      mainArgs: [configFile(node)],
      systemProperties: {
        'log4j.configuration': `file:${log4jFile(node)}`,
        'zookeeper.log.dir': logDir(node),
        'zookeeper.jmx.log4j.disable': 'true',
      },
    });
  },

  marker: jvmMarker,

  health: (node, timeoutMs) => zookeeperHealth(node.port, timeoutMs),

  logFile: (node) => join(logDir(node), 'zookeeper.log'),
};
