import { metadataRequest, parseMetadataResponse } from './kafka-metadata';

/** A Metadata v4 response body as a broker sends it (after the 4-byte size prefix). */
interface Broker {
  id: number;
  host: string;
  port: number;
  rack: string | null;
}

function response(brokers: Broker[], clusterId: string | null, controllerId: number): Buffer {
  const parts: Buffer[] = [];
  const int32 = (v: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    parts.push(b);
  };
  const str = (v: string | null) => {
    const b = Buffer.alloc(2);
    b.writeInt16BE(v === null ? -1 : Buffer.byteLength(v));
    parts.push(b);
    if (v !== null) parts.push(Buffer.from(v));
  };
  int32(7); // correlation id
  int32(0); // throttle time
  int32(brokers.length);
  for (const b of brokers) {
    int32(b.id);
    str(b.host);
    int32(b.port);
    str(b.rack);
  }
  str(clusterId);
  int32(controllerId);
  int32(0); // topics
  return Buffer.concat(parts);
}

describe('Kafka Metadata v4', () => {
  it('frames a request for no topics with api key 3, version 4', () => {
    const request = metadataRequest(1);
    expect(request.readInt32BE(0)).toBe(request.length - 4);
    expect(request.readInt16BE(4)).toBe(3);
    expect(request.readInt16BE(6)).toBe(4);
    expect(request.readInt32BE(8)).toBe(1);
    expect(request.readInt32BE(request.length - 5)).toBe(0); // empty topic array, then auto-create false
  });

  it('reads broker ids, cluster id and controller', () => {
    const parsed = parseMetadataResponse(
      response(
        [
          { id: 3, host: 'localhost', port: 9094, rack: null },
          { id: 1, host: 'localhost', port: 9092, rack: 'r1' },
        ],
        'abc',
        1,
      ),
    );
    expect(parsed).toEqual({ brokerIds: [1, 3], controllerId: 1, clusterId: 'abc' });
  });

  it('reports no controller as null', () => {
    expect(parseMetadataResponse(response([], null, -1))).toEqual({ brokerIds: [], controllerId: null, clusterId: null });
  });
});
