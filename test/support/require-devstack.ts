import { Socket } from 'node:net';
import { endpoints } from '../../devstack/topology';

/**
 * Integration tests need the real servers. A missing server is a failure with a message saying
 * what to do, never a silent skip. `npm test` starts the devstack itself; this guards direct
 * `jest` runs.
 */
function reachable(host: string, port: number, timeoutMs = 2000): Promise<boolean> {
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

export default async function requireDevstack(): Promise<void> {
  const missing = await unreachableDevstackEndpoints();
  if (missing.length > 0) {
    throw new Error(
      `The devstack is not running (nothing answers on ${missing.join(', ')}). ` +
        `Start it with "npm run devstack up", or run everything with "npm test".`,
    );
  }
}
