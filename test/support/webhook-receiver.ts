import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  at: number;
  status: number;
  idempotencyKey: string;
  body: any;
}

/**
 * An HTTP endpoint that records every request it gets. `failWith` makes it answer that status
 * instead of 200 (a receiver that is down for a while); set it back to undefined to recover.
 */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  failWith?: number;
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk) => (text += chunk));
      request.on('end', () => {
        const status = this.failWith ?? 200;
        this.requests.push({ at: Date.now(), status, idempotencyKey: String(request.headers['idempotency-key'] ?? ''), body: JSON.parse(text) });
        response.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** Requests it accepted (answered 200). */
  accepted(): ReceivedRequest[] {
    return this.requests.filter((r) => r.status === 200);
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
