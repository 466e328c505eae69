/**
 * What the Kafka 3.9 (ZooKeeper) and Kafka 4 (KRaft) nodes have in common: broker settings,
 * the Jolokia agent and logging.
 *
 * Broker logging: everything at INFO into <node>/logs/server.log, with the chattiest loggers at WARN.
 * Kafka 3.9 logs through reload4j (log4j 1 properties), Kafka 4 through log4j 2 (XML here).
 */
import { join } from 'node:path';
import { jmxExporterAgentJar, jolokiaAgentJar } from '../jars';
import { LaunchSpec } from '../processes';
import { NodeSpec } from '../topology';

/** The -javaagent value: Jolokia answering on the node's jolokia port, loopback only. */
export async function jolokiaAgent(node: NodeSpec): Promise<string> {
  return `${await jolokiaAgentJar()}=port=${node.ports.jolokia},host=127.0.0.1,discoveryEnabled=false`;
}

/** Rules giving the metric names of the exporter's Kafka example configuration. */
export const jmxExporterRulesFile = join(__dirname, '..', 'jmx-exporter-kafka.yml');

/** The -javaagent value: the Prometheus JMX exporter serving /metrics on the node's prometheus port, loopback only. */
export async function prometheusExporterAgent(node: NodeSpec): Promise<string> {
  return `${await jmxExporterAgentJar()}=127.0.0.1:${node.ports.prometheus}:${jmxExporterRulesFile}`;
}

/** Adds a second -javaagent to a JVM command line, right after the first (before DEVSTACK_JAVA_OPTS and -cp). */
export function withExtraJavaAgent(spec: LaunchSpec, agent: string): LaunchSpec {
  const args = [...spec.args];
  const first = args.findIndex((arg) => arg.startsWith('-javaagent:'));
  const at = first >= 0 ? first + 1 : args.indexOf('-cp');
  args.splice(at, 0, `-javaagent:${agent}`);
  return { ...spec, args };
}

/** Loggers that repeat themselves at INFO (per request, per partition state change, per ZooKeeper event). */
const quietLoggers = [
  'kafka.request.logger',
  'kafka.network.RequestChannel$',
  'state.change.logger',
  'kafka.authorizer.logger',
  'org.apache.zookeeper',
  'kafka.log.LogCleaner',
  'org.apache.kafka.clients.NetworkClient',
];

export function log4jProperties(logDir: string): string {
  return [
    'log4j.rootLogger=INFO, server',
    'log4j.appender.server=org.apache.log4j.RollingFileAppender',
    `log4j.appender.server.File=${join(logDir, 'server.log')}`,
    'log4j.appender.server.MaxFileSize=10MB',
    'log4j.appender.server.MaxBackupIndex=3',
    'log4j.appender.server.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.server.layout.ConversionPattern=[%d] %p %m (%c)%n',
    ...quietLoggers.map((logger) => `log4j.logger.${logger}=WARN`),
    '',
  ].join('\n');
}

export function log4j2Xml(logDir: string): string {
  const file = join(logDir, 'server.log');
  return `<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="warn">
  <Appenders>
    <RollingFile name="server" fileName="${file}" filePattern="${file}.%i">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
      <Policies><SizeBasedTriggeringPolicy size="10 MB"/></Policies>
      <DefaultRolloverStrategy max="3"/>
    </RollingFile>
  </Appenders>
  <Loggers>
    <Root level="info"><AppenderRef ref="server"/></Root>
${quietLoggers.map((logger) => `    <Logger name="${logger}" level="warn"/>`).join('\n')}
  </Loggers>
</Configuration>
`;
}

/** Broker settings shared by both Kafka flavours: a replicated three-node cluster that stays small. */
export function sharedBrokerProperties(dataDir: string): Record<string, string | number | boolean> {
  return {
    'log.dirs': dataDir,
    'num.partitions': 3,
    'default.replication.factor': 3,
    'min.insync.replicas': 2,
    'offsets.topic.replication.factor': 3,
    'offsets.topic.num.partitions': 10,
    'transaction.state.log.replication.factor': 3,
    'transaction.state.log.min.isr': 2,
    'transaction.state.log.num.partitions': 10,
    'auto.create.topics.enable': true,
    'group.initial.rebalance.delay.ms': 0,
    'log.segment.bytes': 16 * 1024 * 1024,
    'log.retention.hours': 24,
    'num.network.threads': 2,
    'num.io.threads': 4,
    'num.recovery.threads.per.data.dir': 1,
    'log.cleaner.threads': 1,
    // The compaction buffer (128 MB by default) is allocated on the heap for good; 16 MB is enough here.
    'log.cleaner.dedupe.buffer.size': 16 * 1024 * 1024,
  };
}
