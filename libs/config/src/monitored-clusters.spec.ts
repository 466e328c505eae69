import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './app-config';

function clustersFile(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'doflamingo-clusters-')), 'clusters.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('monitored clusters', () => {
  const sut = (env: Record<string, string>) => loadConfig('agent', env).clusters;

  it('watches one cluster described by MONITOR_* variables by default, with its ZooKeeper and Jolokia', () => {
    const [cluster] = sut({ DOFLAMINGO_CLUSTER: 'prod' });
    expect(cluster.name).toBe('prod');
    expect(cluster.zookeeper?.servers).toEqual(['localhost:2181', 'localhost:2182', 'localhost:2183']);
    expect(cluster.jolokia.urls).toHaveLength(3);
  });

  it('derives AdminServer URLs from the ZooKeeper hosts when only the connect string is given', () => {
    const [cluster] = sut({ MONITOR_ZOOKEEPER_CONNECT: 'zk-a:2181,zk-b:2181' });
    expect(cluster.zookeeper?.adminUrls).toEqual(['http://zk-a:8080', 'http://zk-b:8080']);
  });

  it('has no ZooKeeper for a KRaft cluster', () => {
    expect(sut({ MONITOR_ZOOKEEPER_CONNECT: 'none' })[0].zookeeper).toBeUndefined();
  });

  it('reads several clusters from DOFLAMINGO_CLUSTERS_FILE', () => {
    const path = clustersFile({
      clusters: [
        { name: 'zk-mode', kafka: { brokers: ['localhost:9092'] }, zookeeper: { servers: ['localhost:2181'] }, jolokia: { urls: ['http://localhost:8778/jolokia/'] } },
        { name: 'kraft', kafka: { brokers: ['localhost:19092'] } },
      ],
    });
    const clusters = sut({ DOFLAMINGO_CLUSTERS_FILE: path });
    expect(clusters.map((c) => c.name)).toEqual(['zk-mode', 'kraft']);
    expect(clusters[0].jolokia.urls).toEqual(['http://localhost:8778/jolokia']);
    expect(clusters[1].zookeeper).toBeUndefined();
    expect(clusters[1].kafka.requestTimeoutMs).toBe(10000);
  });

  it.each([
    [{ clusters: [] }, 'clusters'],
    [{ clusters: [{ name: 'a', kafka: { brokers: ['nope'] } }] }, 'clusters[0].kafka.brokers[0]: expected host:port'],
    [{ clusters: [{ name: 'a', kafka: { brokers: ['h:1'] }, jolokia: { urls: ['ftp://x'] } }] }, 'clusters[0].jolokia.urls[0]'],
    [{ clusters: [{ name: 'a', kafka: { brokers: ['h:1'], typo: 1 } }] }, 'clusters[0].kafka'],
    [{ clusters: [{ name: 'a', kafka: { brokers: ['h:1'] } }, { name: 'a', kafka: { brokers: ['h:2'] } }] }, 'cluster names must be unique'],
    ['{ not json', 'a readable JSON file'],
  ])('rejects a bad file with a message naming the field (%j)', (content, expected) => {
    const path = clustersFile(content);
    expect(() => sut({ DOFLAMINGO_CLUSTERS_FILE: path })).toThrow(expected);
    expect(() => sut({ DOFLAMINGO_CLUSTERS_FILE: path })).toThrow('DOFLAMINGO_CLUSTERS_FILE is invalid');
  });
});
