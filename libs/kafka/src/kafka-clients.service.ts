import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Admin, AdminConfig, Consumer, ConsumerConfig, Kafka, Partitioners, Producer, ProducerConfig } from 'kafkajs';
import { AppConfig, APP_CONFIG } from '@doflamingo/config';
import { PinoLogger } from 'nestjs-pino';
import { createKafka } from './create-kafka';

/**
 * Producers, consumers and admin clients for the Kafka cluster that carries Doflamingo's topics.
 * Every client made here is disconnected when the app shuts down, so offsets and in-flight
 * batches are settled before the process exits.
 */
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
    return this.track(this.kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner, ...options }));
  }

  consumer(options: ConsumerConfig): Consumer {
    return this.track(this.kafka.consumer(options));
  }

  admin(options: AdminConfig = {}): Admin {
    return this.track(this.kafka.admin(options));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.created.map((client) => client.disconnect()));
  }

  private track<T extends Producer | Consumer | Admin>(client: T): T {
    this.created.push(client);
    return client;
  }
}
