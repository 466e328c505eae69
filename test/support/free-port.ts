import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';

/** Ports already handed out in this process: the OS may offer a just-closed port again. */
const handedOut = new Set<number>();

/**
 * A port nobody listens on now (other suites, or another clone's run, may use fixed ones), and
 * never one this process handed out before: asking twice in a row could otherwise give the same
 * port to two apps (it happened: a gateway and an agent both got one, and the agent died on
 * EADDRINUSE).
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}
