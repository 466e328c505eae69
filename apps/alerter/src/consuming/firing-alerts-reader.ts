import { AlertEvent, alertEventSchema } from '@doflamingo/contracts';
import { KafkaClients } from '@doflamingo/kafka';

/**
 * Reads the alerts topic from its start to its current end and returns the alerts whose last
 * event is `firing`: what the alerter had raised and not yet resolved when it last stopped.
 * Uses a throw-away consumer group (kafkajs cannot read without one) and deletes it afterwards.
 */
export async function readFiringAlerts(clients: KafkaClients, topic: string, groupId: string, timeoutMs: number): Promise<AlertEvent[]> {
  const admin = clients.admin({ retry: { retries: 3 } });
  await admin.connect();
  try {
    const ends = new Map((await admin.fetchTopicOffsets(topic)).filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high)]));
    if (ends.size === 0) return [];
    const latest = new Map<string, AlertEvent>();
    const consumer = clients.consumer({ groupId, sessionTimeout: 10000, allowAutoTopicCreation: false });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`reading ${topic} back took longer than ${timeoutMs} ms`)), timeoutMs);
        void consumer
          .run({
            eachBatch: async ({ batch }) => {
              for (const message of batch.messages) {
                const parsed = message.value ? alertEventSchema.safeParse(safeJson(message.value.toString())) : undefined;
                if (parsed?.success) latest.set(parsed.data.id, parsed.data);
              }
              const end = ends.get(batch.partition);
              if (end !== undefined && BigInt(batch.lastOffset()) + 1n >= end) ends.delete(batch.partition);
              if (ends.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    await admin.deleteGroups([groupId]).catch(() => undefined);
    return [...latest.values()].filter((event) => event.state === 'firing');
  } finally {
    await admin.disconnect();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
