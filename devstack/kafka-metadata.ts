/**
 * One Kafka Metadata request (API key 3, version 4) sent to exactly one node.
 *
 * Why not kafkajs's admin.describeCluster(): it sends the request to a random broker of the
 * cluster (kafkajs src/cluster/brokerPool.js, withBroker), so while one broker is dead or paused
 * the probe of a healthy node fails or hangs every few calls. Version 4 is the oldest that
 * Kafka 4 still accepts, and Kafka 3.9 accepts it too.
 */
import { connect } from 'node:net';

export interface KafkaMetadata {
  brokerIds: number[];
  /** In ZooKeeper mode the active controller; in KRaft mode just some broker (KIP-590). */
  controllerId: number | null;
  clusterId: string | null;
}

const metadataApiKey = 3;
const metadataVersion = 4;
const clientId = 'doflamingo-devstack';

export function metadataRequest(correlationId: number): Buffer {
  const client = Buffer.from(clientId, 'utf8');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + client.length + 4 + 1);
  let at = body.writeInt16BE(metadataApiKey, 0);
  at = body.writeInt16BE(metadataVersion, at);
  at = body.writeInt32BE(correlationId, at);
  at = body.writeInt16BE(client.length, at);
  at += client.copy(body, at);
  at = body.writeInt32BE(0, at); // an empty topic list: brokers only (-1 would mean all topics)
  body.writeInt8(0, at); // allow_auto_topic_creation = false
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  return Buffer.concat([size, body]);
}

/** Reads the response fields in order; only as far as the controller id. */
class Reader {
  private at = 0;
  constructor(private readonly buffer: Buffer) {}
  int32(): number {
    const value = this.buffer.readInt32BE(this.at);
    this.at += 4;
    return value;
  }
  nullableString(): string | null {
    const length = this.buffer.readInt16BE(this.at);
    this.at += 2;
    if (length < 0) return null;
    const value = this.buffer.toString('utf8', this.at, this.at + length);
    this.at += length;
    return value;
  }
}

export function parseMetadataResponse(payload: Buffer): KafkaMetadata {
  const reader = new Reader(payload);
  reader.int32(); // correlation id
  reader.int32(); // throttle_time_ms
  const brokerIds: number[] = [];
  for (let count = reader.int32(); count > 0; count -= 1) {
    brokerIds.push(reader.int32());
    reader.nullableString(); // host
    reader.int32(); // port
    reader.nullableString(); // rack
  }
  const clusterId = reader.nullableString();
  const controllerId = reader.int32();
  return { brokerIds: brokerIds.sort((a, b) => a - b), controllerId: controllerId < 0 ? null : controllerId, clusterId };
}

export function fetchKafkaMetadata(port: number, timeoutMs: number): Promise<KafkaMetadata> {
  return new Promise((resolvePromise, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`Kafka metadata request to port ${port} timed out`)));
    socket.on('connect', () => socket.write(metadataRequest(1)));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4 || received.length < 4 + received.readInt32BE(0)) return;
      try {
        resolvePromise(parseMetadataResponse(received.subarray(4, 4 + received.readInt32BE(0))));
      } catch (error) {
        reject(error);
      }
      socket.destroy();
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`port ${port} closed the connection before answering`)));
  });
}
