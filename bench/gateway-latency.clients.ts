/**
 * Child process of the gateway-latency benchmark: opens many WebSocket clients, each subscribed to
 * one shard of the benchmark's series, and measures publish → receipt latency of every sample
 * (the sample's value is its publish time). Prints one JSON line with the results.
 * argv: url clients shards seconds
 */
import WebSocket from 'ws';

const [url, clientCount, shardCount, seconds] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5])];
/** Latency histogram in 1 ms buckets up to 60 s: millions of receipts without keeping them all. */
const histogram = new Uint32Array(60_001);
let receipts = 0;
let closedEarly = 0;
let measuring = false;

async function main(): Promise<void> {
  const sockets: WebSocket[] = [];
  for (let i = 0; i < clientCount; i++) {
    const socket = new WebSocket(url);
    socket.on('message', (data) => {
      if (!measuring) return;
      const frame = JSON.parse(data.toString()) as { type: string; samples?: Array<{ value: number }> };
      if (frame.type !== 'update') return;
      const now = Date.now();
      for (const sample of frame.samples!) {
        histogram[Math.min(60_000, Math.max(0, now - sample.value))]++;
        receipts++;
      }
    });
    socket.on('close', () => measuring && closedEarly++);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    socket.send(JSON.stringify({ op: 'subscribe', id: 's', channel: 'metrics', cluster: 'bench', metric: 'bench_series', labels: { shard: String(i % shardCount) } }));
    sockets.push(socket);
    if ((i + 1) % 250 === 0) process.stderr.write(`clients: ${i + 1}/${clientCount} connected\n`);
  }
  process.stdout.write('READY\n');
  await new Promise((resolve) => setTimeout(resolve, 3000)); // let snapshots settle
  measuring = true;
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  measuring = false;
  const at = (p: number) => {
    let seen = 0;
    for (let ms = 0; ms < histogram.length; ms++) {
      seen += histogram[ms];
      if (seen >= p * receipts) return ms;
    }
    return NaN;
  };
  process.stdout.write(JSON.stringify({ receipts, p50: at(0.5), p99: at(0.99), p999: at(0.999), closedEarly, connected: sockets.filter((s) => s.readyState === WebSocket.OPEN).length }) + '\n');
  for (const socket of sockets) socket.terminate();
  process.exit(0);
}

void main();
