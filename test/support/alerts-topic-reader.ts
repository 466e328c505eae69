import { Consumer, Kafka, logLevel } from 'kafkajs';
import { AlertEvent, alertEventSchema } from '@doflamingo/contracts';
import { deleteGroup } from './kafka-admin';

/**
 * Reads an alerts topic from its start (its own throw-away group) and keeps every alert event,
 * validated against the contract, once per topic offset: a broker fault can make this reader's own
 * group read a message again, which must not look like the alerter publishing it twice.
 */
export class AlertsTopicReader {
  readonly events: AlertEvent[] = [];
  /** When this reader got each event (by `id@state@at`): how long the alerts topic took to deliver it. */
  readonly receivedAt = new Map<string, number>();
  readonly invalid: string[] = [];
  /** Messages read again after the reader's own group rebalanced (not the alerter's doing): skipped. */
  redelivered = 0;
  private readonly nextOffset = new Map<number, bigint>();
  private consumer?: Consumer;
  private readonly groupId = `doflamingo-test-alerts-${process.pid}-${Date.now()}`;

  constructor(private readonly brokers: string[], private readonly topic: string) {}

  async start(): Promise<void> {
    const kafka = new Kafka({ clientId: 'doflamingo-test-alerts-reader', brokers: this.brokers, logLevel: logLevel.NOTHING });
    // Leaders refreshed every 5 s like the apps' clients (METADATA_MAX_AGE_MS): the fault tests hang brokers.
    this.consumer = kafka.consumer({ groupId: this.groupId, metadataMaxAge: 5000, sessionTimeout: 30000 });
    await this.consumer.connect();
    // The alerter creates the topic; a reader started first may have to wait for it.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
        break;
      } catch (error) {
        if (attempt > 60) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    await this.consumer.run({
      eachMessage: async ({ message, partition }) => {
        const offset = BigInt(message.offset);
        if (offset < (this.nextOffset.get(partition) ?? 0n)) {
          this.redelivered++;
          return;
        }
        this.nextOffset.set(partition, offset + 1n);
        const parsed = alertEventSchema.safeParse(JSON.parse(message.value!.toString()));
        if (parsed.success) {
          this.events.push(parsed.data);
          this.receivedAt.set(`${parsed.data.id}@${parsed.data.state}@${parsed.data.at}`, Date.now());
        }
        else this.invalid.push(parsed.error.message);
      },
    });
  }

  of(id: string): AlertEvent[] {
    return this.events.filter((event) => event.id === id);
  }

  states(id: string): string[] {
    return this.of(id).map((event) => event.state);
  }

  /** Leaves no group behind: an abandoned group with lag is what the consumer-group alerts report. */
  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    await deleteGroup(this.brokers, this.groupId);
  }
}
