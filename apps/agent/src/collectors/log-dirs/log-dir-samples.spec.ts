import { diskSpace, logDirSamples } from './log-dir-samples';

describe('log dir samples', () => {
  const logDir = { broker: '2', dir: '/data/kafka2' };

  it('turns a statfs result into capacity and space available to unprivileged users (bavail, not bfree)', () => {
    // The numbers statfs gave for a 252 GiB ext4 filesystem with root-reserved blocks.
    const sut = diskSpace({ bsize: 4096, blocks: 66053021, bavail: 19190709 });
    expect(sut).toEqual({ capacityBytes: 270553174016, freeBytes: 78605144064 });
  });

  it('reports a read directory as readable with its capacity and free bytes, labelled by broker and dir', () => {
    expect(logDirSamples(logDir, { capacityBytes: 1000, freeBytes: 250 })).toEqual([
      { metric: 'kafka_broker_log_dir_readable', labels: { broker: '2', dir: '/data/kafka2' }, value: 1 },
      { metric: 'kafka_broker_log_dir_capacity_bytes', labels: { broker: '2', dir: '/data/kafka2' }, value: 1000 },
      { metric: 'kafka_broker_log_dir_free_bytes', labels: { broker: '2', dir: '/data/kafka2' }, value: 250 },
    ]);
  });

  it('reports an unread directory as unreadable and sends no byte gauges rather than zeros', () => {
    expect(logDirSamples(logDir, undefined)).toEqual([{ metric: 'kafka_broker_log_dir_readable', labels: { broker: '2', dir: '/data/kafka2' }, value: 0 }]);
  });
});
