import { MetricSample, sample, zookeeperMetrics as z } from '@doflamingo/contracts';

/**
 * The broker id in Kafka's /controller znode ({"version":1,"brokerid":2,"timestamp":"…"}); -1 when
 * the znode is missing (no controller elected), undefined when its content is not what Kafka writes.
 */
export function controllerIdFromZnode(data: Buffer | undefined): number | undefined {
  if (data === undefined) return -1;
  try {
    const parsed = JSON.parse(data.toString('utf8')) as { brokerid?: unknown };
    return Number.isInteger(parsed.brokerid) ? (parsed.brokerid as number) : undefined;
  } catch {
    return undefined;
  }
}

/** Broker ids from the children of /brokers/ids; anything that is not a broker id is ignored. */
export function brokerIdsFromChildren(children: readonly string[]): number[] {
  return children
    .filter((child) => /^\d+$/.test(child))
    .map(Number)
    .sort((a, b) => a - b);
}

/** Registrations in ZooKeeper against the Kafka metadata; either side may be unknown this time. */
export function brokerRegistrationSamples(registered: readonly number[] | undefined, inMetadata: readonly number[] | undefined): MetricSample[] {
  const samples: MetricSample[] = [];
  if (registered) samples.push(sample(z.kafkaBrokersRegistered, {}, registered.length));
  if (inMetadata) samples.push(sample(z.kafkaBrokersInMetadata, {}, inMetadata.length));
  if (registered && inMetadata) {
    const zk = new Set(registered);
    const metadata = new Set(inMetadata);
    const mismatch = [...zk].filter((id) => !metadata.has(id)).length + [...metadata].filter((id) => !zk.has(id)).length;
    samples.push(sample(z.kafkaBrokerMismatch, {}, mismatch));
  }
  return samples;
}

export type ProbeResult = { ok: true; seconds: number } | { ok: false; error: string };

export function probeSamples(result: ProbeResult): MetricSample[] {
  const samples = [sample(z.probeSuccess, {}, Number(result.ok))];
  if (result.ok) samples.push(sample(z.probeLatency, {}, result.seconds));
  return samples;
}
