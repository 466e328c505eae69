/** Finding out, before anything starts, whether another program already holds one of our ports. */
import { createServer } from 'node:net';
import { DevstackError } from './errors';
import { NodeSpec } from './topology';

/** Every port a node listens on, with the role of each (client, quorum, jolokia, …). */
export function portsOf(node: NodeSpec): { role: string; port: number }[] {
  return [{ role: 'client', port: node.port }, ...Object.entries(node.ports).map(([role, port]) => ({ role, port }))];
}

/** True when nothing listens on the port (binding 127.0.0.1 also fails if someone holds 0.0.0.0). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.once('error', () => resolvePromise(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      server.close(() => resolvePromise(true));
    });
  });
}

/** Throws one clear message for the first busy port among the nodes about to start. */
export async function assertPortsFree(nodes: NodeSpec[]): Promise<void> {
  for (const node of nodes) {
    for (const { port } of portsOf(node)) {
      if (!(await isPortFree(port))) {
        throw new DevstackError(
          `port ${port} (${node.name}) is already in use by another process: stop it or set DEVSTACK_PORT_OFFSET=20000`,
        );
      }
    }
  }
}
