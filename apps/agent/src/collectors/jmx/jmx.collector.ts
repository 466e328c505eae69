import { jmxMetrics, MetricSample, sample } from '@doflamingo/contracts';
import { LogThrottle } from '@doflamingo/logging';
import { withTimeout } from '@doflamingo/runtime';
import { CollectedBatch, Collector, CollectorContext, CollectorFactory } from '../../collection/collector';
import { BrokerJmxSampler } from './broker-jmx-samples';
import { JmxSource, JolokiaSource, PrometheusSource } from './jmx-sources';

/** One broker's endpoint and what the collector remembers about it between collections. */
export interface BrokerEndpoint {
  source: JmxSource;
  /** From the configuration until the endpoint names its broker (Jolokia's app-info id). */
  brokerId: string;
  sampler: BrokerJmxSampler;
  errors: number;
}

/** `#broker=N` at the end of a URL names the broker; otherwise its 1-based position in the list does. */
export function configuredBrokerId(url: string, position: number): string {
  const fromFragment = new URLSearchParams(new URL(url).hash.slice(1)).get('broker');
  return fromFragment?.trim() || String(position + 1);
}

/** fetch() says only "fetch failed"; the reason (ECONNREFUSED…) is its cause. */
function reason(error: unknown): string {
  const { message, cause } = error as Error & { cause?: Error };
  return cause?.message ? `${message}: ${cause.message}` : message;
}

/** A URL fit for logs: credentials written into it are left out. */
function loggableUrl(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.toString();
}

/** A broker endpoint, as configured at `position` in the list of URLs. */
export function brokerEndpoint(source: JmxSource, position: number): BrokerEndpoint {
  return { source, brokerId: configuredBrokerId(source.url, position), sampler: new BrokerJmxSampler(), errors: 0 };
}

/**
 * Broker JMX metrics: every broker's endpoint is read in parallel, each within the call timeout,
 * one HTTP request per broker per collection. A broker whose endpoint fails is reported as
 * `kafka_broker_jmx_up 0` with its error count, and nothing else: never zeros that look like data.
 */
export class JmxCollector implements Collector {
  readonly name = 'jmx' as const;
  private readonly throttle = new LogThrottle(60000);

  constructor(
    private readonly context: CollectorContext,
    private readonly endpoints: BrokerEndpoint[],
  ) {}

  async collect(signal: AbortSignal): Promise<CollectedBatch[]> {
    return Promise.all(this.endpoints.map((endpoint) => this.collectBroker(endpoint, signal)));
  }

  async close(): Promise<void> {}

  /**
   * An exporter answers a scrape by walking every MBean of the broker (seconds with thousands of
   * partitions), so, like a Prometheus server's scrape timeout, its deadline may reach most of the
   * interval; Jolokia reads only what is asked and keeps the usual call timeout.
   */
  private deadlineMs(source: JmxSource): number {
    const { callTimeoutMs, intervalMs } = this.context;
    return source.kind === 'prometheus' ? Math.max(callTimeoutMs, Math.floor(intervalMs.jmx * 0.8)) : callTimeoutMs;
  }

  private async collectBroker(endpoint: BrokerEndpoint, signal: AbortSignal): Promise<CollectedBatch> {
    const { cluster, logger } = this.context;
    const { source } = endpoint;
    const deadlineMs = this.deadlineMs(source);
    const startedAt = Date.now();
    // withTimeout keeps the deadline; aborting the call afterwards cancels the HTTP request itself.
    const call = new AbortController();
    const abandon = () => call.abort(signal.reason);
    signal.addEventListener('abort', abandon, { once: true });
    let up = 0;
    let samples: MetricSample[];
    try {
      const jmx = await withTimeout(source.read(call.signal), deadlineMs, `${source.kind} read of ${loggableUrl(source.url)} (${cluster.name})`);
      if (jmx.brokerId !== undefined && jmx.brokerId !== endpoint.brokerId) {
        // The URL answers for another broker than thought: its counts must not be mixed with the old ones.
        endpoint.brokerId = jmx.brokerId;
        endpoint.sampler = new BrokerJmxSampler();
      }
      // The values were read somewhere during the call (an exporter scrape lasts seconds): its middle is the best guess.
      samples = endpoint.sampler.samples(endpoint.brokerId, jmx, (startedAt + Date.now()) / 2);
      up = 1;
      this.throttle.clear(source.url);
    } catch (error) {
      endpoint.errors++;
      samples = [];
      const admitted = this.throttle.admit(source.url);
      if (admitted) logger.warn({ url: loggableUrl(source.url), broker: endpoint.brokerId, err: reason(error), suppressed: admitted.suppressed }, 'JMX endpoint did not answer');
    } finally {
      signal.removeEventListener('abort', abandon);
      call.abort();
    }
    const broker = { broker: endpoint.brokerId };
    samples.push(
      sample(jmxMetrics.up, broker, up),
      sample(jmxMetrics.scrapeErrors, broker, endpoint.errors),
      sample(jmxMetrics.scrapeDuration, broker, (Date.now() - startedAt) / 1000),
    );
    return { scope: `broker:${endpoint.brokerId}`, samples };
  }
}

/**
 * Applies to clusters with Jolokia URLs or Prometheus exporter URLs. With both, Jolokia is read and
 * the exporter URLs are left alone: both name the same brokers, and reading both would send every
 * series twice.
 */
export const jmxCollector: CollectorFactory = (context) => {
  const { jolokia, prometheusUrls } = context.cluster;
  if (jolokia.urls.length > 0) {
    if (prometheusUrls.length > 0) context.logger.warn({ prometheusUrls: prometheusUrls.map(loggableUrl) }, 'both Jolokia and Prometheus exporter URLs configured: reading Jolokia only');
    return new JmxCollector(context, jolokia.urls.map((url, i) => brokerEndpoint(new JolokiaSource(url, jolokia), i)));
  }
  if (prometheusUrls.length > 0) return new JmxCollector(context, prometheusUrls.map((url, i) => brokerEndpoint(new PrometheusSource(url), i)));
  return undefined;
};
