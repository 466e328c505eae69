import { Socket } from 'node:net';
import { endpoints } from './topology';

/** Whether something accepts TCP connections on host:port (a cheap "is the devstack up?"). */
export function reachable(host: string, port: number, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}

/** The devstack endpoints (host:port) that do not accept a connection. */
export async function unreachableDevstackEndpoints(): Promise<string[]> {
  const targets = [
    ...endpoints.kafkaBrokers,
    ...endpoints.zookeeperServers.map((z) => `${z.host}:${z.port}`),
    new URL(endpoints.clickhouseUrl).host,
  ];
  const missing: string[] = [];
  for (const target of targets) {
    const [host, port] = target.split(':');
    if (!(await reachable(host, Number(port)))) missing.push(target);
  }
  return missing;
}

