import { BrokerJmx } from './broker-jmx';
import { brokerJmxFromJolokia, jolokiaBulkRequest } from './jolokia-reading';
import { JmxEndpointError } from './jmx-endpoint-error';
import { brokerJmxFromPrometheus } from './prometheus-mapping';
import { parsePrometheusText } from './prometheus-text';

/** One broker's JMX endpoint: reads everything the collector wants in one HTTP request. */
export interface JmxSource {
  readonly kind: 'jolokia' | 'prometheus';
  /** The configured URL. */
  readonly url: string;
  read(signal: AbortSignal): Promise<BrokerJmx>;
}

async function expectOk(response: Response, what: string): Promise<Response> {
  if (response.ok) return response;
  await response.body?.cancel();
  throw new JmxEndpointError(`${what} answered HTTP ${response.status}`);
}

/** Jolokia: one bulk POST of every read (MBean patterns included) per collection. */
export class JolokiaSource implements JmxSource {
  readonly kind = 'jolokia' as const;
  private readonly body = JSON.stringify(jolokiaBulkRequest());
  private readonly headers: Record<string, string>;

  constructor(
    readonly url: string,
    auth?: { username?: string; password?: string },
  ) {
    this.headers = { 'content-type': 'application/json', accept: 'application/json' };
    if (auth?.username) this.headers.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password ?? ''}`).toString('base64')}`;
  }

  async read(signal: AbortSignal): Promise<BrokerJmx> {
    // The agent's URL is the agent root: the bulk POST goes to "<url>/" (a #broker=N fragment is not sent).
    const target = `${this.url.replace(/#.*$/, '').replace(/\/+$/, '')}/`;
    const response = await expectOk(await fetch(target, { method: 'POST', headers: this.headers, body: this.body, signal }), `Jolokia at ${this.url}`);
    return brokerJmxFromJolokia(await response.json());
  }
}

/** A Prometheus JMX exporter's /metrics page, in the text format. */
export class PrometheusSource implements JmxSource {
  readonly kind = 'prometheus' as const;

  constructor(readonly url: string) {}

  async read(signal: AbortSignal): Promise<BrokerJmx> {
    const response = await expectOk(await fetch(this.url, { headers: { accept: 'text/plain;version=0.0.4' }, signal }), `the exporter at ${this.url}`);
    const exposition = parsePrometheusText(await response.text());
    if (exposition.samples.length === 0) {
      throw new JmxEndpointError(`the exporter at ${this.url} sent no Prometheus samples${exposition.firstError ? ` (${exposition.firstError})` : ''}`);
    }
    return brokerJmxFromPrometheus(exposition.samples);
  }
}
