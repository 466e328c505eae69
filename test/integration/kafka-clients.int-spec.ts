import { Test } from '@nestjs/testing';
import { TerminusModule } from '@nestjs/terminus';
import { ConfigModule, loadConfig } from '@doflamingo/config';
import { KafkaClients, KafkaHealthIndicator, KafkaModule } from '@doflamingo/kafka';
import { LoggingModule } from '@doflamingo/logging';
import { endpoints } from '../../devstack/topology';

describe('KafkaModule (devstack)', () => {
  const config = loadConfig('agent', { KAFKA_BROKERS: endpoints.kafkaBrokers.join(','), LOG_LEVEL: 'warn' });

  async function createSut() {
    const module = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config), LoggingModule.forRoot(config), TerminusModule, KafkaModule],
    }).compile();
    return { module, clients: module.get(KafkaClients), health: module.get(KafkaHealthIndicator) };
  }

  it('produces to a topic and consumes the same message back', async () => {
    const { module, clients } = await createSut();
    const topic = `doflamingo-test-roundtrip-${Date.now()}`;
    const admin = clients.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });

    const producer = clients.producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'hello from the test' }] });

    const consumer = clients.consumer({ groupId: `${topic}-group` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = await new Promise<string>((resolve) => {
      void consumer.run({ eachMessage: async ({ message }) => resolve(message.value!.toString()) });
    });
    expect(received).toBe('hello from the test');

    await admin.deleteTopics({ topics: [topic] });
    await module.close(); // disconnects every client KafkaClients made
  });

  it('reports the cluster up with its broker count and controller', async () => {
    const { module, health } = await createSut();
    const result = await health.check('kafka');
    expect(result.kafka.status).toBe('up');
    expect(result.kafka).toMatchObject({ brokers: 3 });
    await module.close();
  });

  it('reports a cluster nobody listens on as down within the health budget', async () => {
    const deadConfig = loadConfig('agent', { KAFKA_BROKERS: 'localhost:1', LOG_LEVEL: 'silent' });
    const module = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(deadConfig), LoggingModule.forRoot(deadConfig), TerminusModule, KafkaModule],
    }).compile();
    const startedAt = Date.now();
    const result = await module.get(KafkaHealthIndicator).check('kafka');
    expect(result.kafka.status).toBe('down');
    expect(Date.now() - startedAt).toBeLessThan(5000);
    await module.close();
  });
});
