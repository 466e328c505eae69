/**
 * Probes that answer "is this node serving?" quickly and always within a time limit:
 * ZooKeeper four-letter words, a Kafka metadata request, HTTP pings for Jolokia and ClickHouse.
 */
import { connect } from 'node:net';
import { fetchKafkaMetadata } from './kafka-metadata';

export interface Health {
  healthy: boolean;
  /** leader / follower / controller / broker, when the probe learns it on the way. */
  role?: string;
  /** Why it is not healthy, for timeout messages. */
  detail?: string;
}

export const defaultProbeTimeoutMs = 2_000;

/** Sends a ZooKeeper four-letter command (ruok, srvr, mntr, …) and returns the whole answer. */
export function fourLetterWord(port: number, command: string, timeoutMs = defaultProbeTimeoutMs): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`'${command}' on port ${port} timed out`)));
    socket.on('connect', () => socket.end(command));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolvePromise(Buffer.concat(chunks).toString('utf8')));
  });
}

/** Healthy when the server answers ruok and is part of a working quorum (srvr reports leader or follower). */
export async function zookeeperHealth(port: number, timeoutMs = defaultProbeTimeoutMs): Promise<Health> {
  try {
    const ruok = await fourLetterWord(port, 'ruok', timeoutMs);
    if (ruok.trim() !== 'imok') return { healthy: false, detail: `ruok answered '${ruok.trim()}'` };
    const srvr = await fourLetterWord(port, 'srvr', timeoutMs);
    const mode = /^Mode: (\S+)/m.exec(srvr)?.[1];
    if (mode === 'leader' || mode === 'follower' || mode === 'standalone') return { healthy: true, role: mode };
    return { healthy: false, detail: srvr.trim().split('\n')[0] || 'no quorum yet' };
  } catch (error) {
    return { healthy: false, detail: (error as Error).message };
  }
}

export interface KafkaClusterView {
  brokerIds: number[];
  controllerId: number | null;
}

/** Asks one Kafka node, and only that node, which brokers its cluster has (see kafka-metadata.ts). */
export async function describeKafkaCluster(port: number, timeoutMs = defaultProbeTimeoutMs): Promise<KafkaClusterView> {
  const { brokerIds, controllerId } = await fetchKafkaMetadata(port, timeoutMs);
  return { brokerIds, controllerId };
}

export async function httpGet(url: string, timeoutMs = defaultProbeTimeoutMs): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return { status: response.status, body: await response.text() };
}

export async function jolokiaUp(port: number, timeoutMs = defaultProbeTimeoutMs): Promise<boolean> {
  try {
    return (await httpGet(`http://127.0.0.1:${port}/jolokia/version`, timeoutMs)).status === 200;
  } catch {
    return false;
  }
}

/** Reads one MBean attribute through Jolokia; undefined when the agent or the MBean does not answer. */
export async function jolokiaRead(port: number, mbean: string, attribute: string, timeoutMs = defaultProbeTimeoutMs): Promise<unknown> {
  try {
    const { status, body } = await httpGet(`http://127.0.0.1:${port}/jolokia/read/${mbean}/${attribute}`, timeoutMs);
    if (status !== 200) return undefined;
    const parsed = JSON.parse(body) as { status?: number; value?: unknown };
    return parsed.status === 200 ? parsed.value : undefined;
  } catch {
    return undefined;
  }
}

export async function clickhousePing(port: number, timeoutMs = defaultProbeTimeoutMs): Promise<Health> {
  try {
    const { status, body } = await httpGet(`http://127.0.0.1:${port}/ping`, timeoutMs);
    return status === 200 && body.trim() === 'Ok.' ? { healthy: true } : { healthy: false, detail: `HTTP ${status}` };
  } catch (error) {
    return { healthy: false, detail: (error as Error).message };
  }
}
