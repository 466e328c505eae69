import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './app-config';

function clustersFile(logDirs: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'doflamingo-log-dirs-')), 'clusters.json');
  writeFileSync(path, JSON.stringify({ clusters: [{ name: 'a', kafka: { brokers: ['h:9092'] }, logDirs }] }));
  return path;
}

describe('brokers log directories', () => {
  describe('from MONITOR_KAFKA_LOG_DIRS', () => {
    const sut = (value?: string) => loadConfig('agent', value === undefined ? {} : { MONITOR_KAFKA_LOG_DIRS: value }).clusters[0].logDirs;

    it('is empty when unset or blank', () => {
      expect(sut()).toEqual([]);
      expect(sut('  ')).toEqual([]);
    });

    it('reads broker=path pairs, several per broker, sorted by broker, paths normalised', () => {
      expect(sut(' 2=/data/kafka2/ , 1=/data/kafka1,2=/data2//kafka2,10=/d/10')).toEqual([
        { broker: '1', dir: '/data/kafka1' },
        { broker: '2', dir: '/data/kafka2' },
        { broker: '2', dir: '/data2/kafka2' },
        { broker: '10', dir: '/d/10' },
      ]);
    });

    it.each([
      ['/data/kafka1', 'MONITOR_KAFKA_LOG_DIRS is invalid: expected broker-id=/absolute/path, comma-separated (e.g. 1=/data/kafka1,2=/data/kafka2; repeat an id for several dirs), got "/data/kafka1"'],
      ['1=', 'expected broker-id=/absolute/path'],
      ['1=/a,,2=/b', 'got ""'],
      ['kafka1=/data/kafka1', 'MONITOR_KAFKA_LOG_DIRS is invalid: expected a broker id (a whole number) before "="'],
      ['-1=/data', 'expected a broker id'],
      ['01=/data', 'expected a broker id'],
      ['1=data/kafka1', 'MONITOR_KAFKA_LOG_DIRS is invalid: expected an absolute path (the agent resolves nothing against its own working directory) for broker 1, got "data/kafka1"'],
      [`1=/${'x'.repeat(1024)}`, 'expected a path of at most 1024 characters'],
      ['1=/data/kafka,2=/data/kafka/', 'MONITOR_KAFKA_LOG_DIRS is invalid: expected each directory once (one directory belongs to one broker), got "/data/kafka"'],
    ])('rejects %j with a message naming the variable', (value, message) => {
      expect(() => sut(value)).toThrow(message);
    });
  });

  describe('from the clusters file', () => {
    const sut = (logDirs: unknown) => loadConfig('agent', { DOFLAMINGO_CLUSTERS_FILE: clustersFile(logDirs) }).clusters[0].logDirs;

    it('is empty when the field is absent', () => {
      expect(sut(undefined)).toEqual([]);
    });

    it('takes a path or a list of paths per broker id', () => {
      expect(sut({ '3': '/data/k3/', '1': ['/data/k1', '/data2/k1'] })).toEqual([
        { broker: '1', dir: '/data/k1' },
        { broker: '1', dir: '/data2/k1' },
        { broker: '3', dir: '/data/k3' },
      ]);
    });

    it.each([
      [{ kafka1: '/data' }, 'DOFLAMINGO_CLUSTERS_FILE is invalid: expected clusters[0].logDirs.kafka1: keys are broker ids (whole numbers, e.g. "1")'],
      [{ '1': 'data' }, 'clusters[0].logDirs.1[0]: expected an absolute path'],
      [{ '1': ['/a', 'b'] }, 'clusters[0].logDirs.1[1]: expected an absolute path'],
      [{ '1': [] }, 'clusters[0].logDirs.1: expected at least one directory'],
      [{ '1': 5 }, 'clusters[0].logDirs.1'],
      [['/data'], 'clusters[0].logDirs'],
      [{ '1': '/data', '2': '/data/' }, 'clusters[0].logDirs: /data is configured twice'],
    ])('rejects %j with a message naming the field', (logDirs, message) => {
      expect(() => sut(logDirs)).toThrow(message);
    });
  });
});
