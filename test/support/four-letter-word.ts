import { Socket } from 'node:net';

/** Sends a ZooKeeper four-letter word (mntr, ruok, srvr…) and returns the whole answer. */
export function fourLetterWord(host: string, port: number, word: string, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error(`${word} to ${host}:${port} timed out`));
    });
    socket.once('error', reject);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.once('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.connect(port, host, () => socket.end(word));
  });
}

/** mntr's "key<TAB>value" lines as a map. */
export function parseMntr(text: string): Map<string, string> {
  return new Map(
    text
      .split('\n')
      .map((line) => line.split('\t'))
      .filter((parts) => parts.length === 2)
      .map(([key, value]) => [key, value.trim()]),
  );
}
