import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';

/** A port nobody listens on now (other suites, or another clone's run, may use fixed ones). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
