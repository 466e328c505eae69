import { connect } from 'node:net';
import { withTimeout } from '@doflamingo/runtime';

/** mntr is about 25 KB on ZooKeeper 3.8; anything far bigger is not a ZooKeeper answering. */
const MAX_ANSWER_BYTES = 1 << 20;

/** "host:port" or "[v6]:port" → parts. */
export function splitHostPort(server: string): { host: string; port: number } {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(server);
  if (!match) throw new TypeError(`expected host:port, got '${server}'`);
  return { host: match[1], port: Number(match[2]) };
}

/**
 * Sends a four-letter word and returns the whole answer (the server closes the connection when it
 * is done). The socket is destroyed when the deadline passes, so a hung server leaks nothing.
 */
export function fourLetterWord(server: string, word: string, timeoutMs: number): Promise<string> {
  const { host, port } = splitHostPort(server);
  const socket = connect({ host, port });
  const answer = new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    socket.once('connect', () => socket.end(word));
    socket.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_ANSWER_BYTES) socket.destroy(new Error(`${word} answer from ${server} exceeds ${MAX_ANSWER_BYTES} bytes`));
      else chunks.push(chunk);
    });
    socket.once('error', reject);
    socket.once('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
  return withTimeout(answer, timeoutMs, `ZooKeeper ${word} on ${server}`).finally(() => socket.destroy());
}
