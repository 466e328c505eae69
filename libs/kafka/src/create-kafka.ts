import { Kafka, KafkaConfig, logLevel, LogEntry, SASLOptions } from 'kafkajs';
import type { Logger as PinoLike } from 'pino';
import { KafkaConnection } from '@doflamingo/config';

const LEVEL_NAMES: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** Sends kafkajs' own log lines through the app's JSON logger instead of its console format. */
function pinoLogCreator(logger: PinoLike) {
  return () =>
    ({ level, label, log }: LogEntry) => {
      const { message, ...extra } = log;
      logger[LEVEL_NAMES[level] ?? 'info']({ kafkajs: label, ...extra }, message);
    };
}

function saslOptions(connection: KafkaConnection): SASLOptions | undefined {
  if (!connection.sasl) return undefined;
  const { mechanism, username, password } = connection.sasl;
  return { mechanism, username, password } as SASLOptions;
}

/** One kafkajs client for one Kafka cluster, with timeouts and credentials from the configuration. */
export function createKafka(connection: KafkaConnection, logger: PinoLike): Kafka {
  const config: KafkaConfig = {
    clientId: connection.clientId,
    brokers: connection.brokers,
    ssl: connection.ssl,
    sasl: saslOptions(connection),
    connectionTimeout: connection.connectionTimeoutMs,
    requestTimeout: connection.requestTimeoutMs,
    logLevel: logLevel.WARN,
    logCreator: pinoLogCreator(logger),
    retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 30000 },
  };
  return new Kafka(config);
}
