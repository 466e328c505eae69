import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Admin, AdminConfig, Consumer, ConsumerConfig, Kafka, logLevel, Partitioners, Producer, ProducerConfig } from 'kafkajs';
import { AppConfig, APP_CONFIG } from '@doflamingo/config';
import { PinoLogger } from 'nestjs-pino';
import { createKafka } from './create-kafka';

/**
 * Producers, consumers and admin clients for the Kafka cluster that carries Doflamingo's topics.
 * Every client made here is disconnected when the app shuts down, so offsets and in-flight
 * batches are settled before the process exits.
 */
/**
 * kafkajs looks up partition leaders again only when its metadata is older than this (its default:
 * 5 minutes) or a broker answers "not the leader". A hung broker (SIGSTOP, GC storm) answers
 * nothing: requests just time out, and every retry would go back to it long after the controller
 * moved its partitions elsewhere. A short age sends the retries to the new leaders.
 */
export const METADATA_MAX_AGE_MS = 5000;

@Injectable()
export class KafkaClients implements OnApplicationShutdown {
  readonly kafka: Kafka;
  private readonly created: Array<Producer | Consumer | Admin> = [];

  constructor(@Inject(APP_CONFIG) config: AppConfig, logger: PinoLogger) {
    logger.setContext('kafka');
    this.kafka = createKafka(config.kafka, logger.logger);
  }

  producer(options: ProducerConfig = {}): Producer {
    // The default (murmur2, Java-compatible) partitioner, named so kafkajs does not warn on every start.
    return this.track(this.kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner, metadataMaxAge: METADATA_MAX_AGE_MS, ...options }));
  }

  consumer(options: ConsumerConfig): Consumer {
    return this.track(this.kafka.consumer({ metadataMaxAge: METADATA_MAX_AGE_MS, ...options }));
  }

  admin(options: AdminConfig = {}): Admin {
    return this.track(this.kafka.admin(options));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.created.map((client) => client.disconnect()));
    // A request that timed out during the disconnect (a LeaveGroup to a slow coordinator, seen in CI)
    // may still get its answer a moment later, and kafkajs would log it after the app's last line.
    this.kafka.logger().setLogLevel(logLevel.NOTHING);
  }

  private track<T extends Producer | Consumer | Admin>(client: T): T {
    this.created.push(client);
    return client;
  }
}
