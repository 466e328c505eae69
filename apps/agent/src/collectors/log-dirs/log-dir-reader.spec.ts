import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskSpace } from './log-dir-samples';
import { LogDirReader } from './log-dir-reader';

describe('log dir reader', () => {
  const root = mkdtempSync(join(tmpdir(), 'doflamingo-log-dir-reader-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const sut = (dir: string, inspect?: (dir: string) => Promise<DiskSpace>) => new LogDirReader({ broker: '1', dir }, 1000, inspect);

  it('reads the space of the filesystem under a directory', async () => {
    const reading = await sut(root).read();
    const stats = await statfs(root);
    expect(reading.readable).toBe(true);
    if (!reading.readable) return;
    expect(reading.space.capacityBytes).toBe(stats.blocks * stats.bsize);
    // Other processes write to the same filesystem meanwhile: within 64 MiB.
    expect(Math.abs(reading.space.freeBytes - stats.bavail * stats.bsize)).toBeLessThan(64 * 1024 * 1024);
  });

  it('says why a path is missing or not a directory', async () => {
    expect(await sut(join(root, 'missing')).read()).toEqual({ readable: false, reason: expect.stringContaining('ENOENT') });
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    expect(await sut(file).read()).toEqual({ readable: false, reason: `${file} is not a directory` });
  });

  it('gives up on a hung filesystem at the deadline and starts no second call until the first returns', async () => {
    let calls = 0;
    let unhang: (space: DiskSpace) => void = () => undefined;
    const reader = new LogDirReader({ broker: '1', dir: '/mnt/hung' }, 50, () => {
      calls++;
      return new Promise((resolve) => (unhang = resolve));
    });
    expect(await reader.read()).toEqual({ readable: false, reason: 'reading /mnt/hung did not answer within 50 ms' });
    expect(await reader.read()).toEqual({ readable: false, reason: expect.stringContaining('previous read has not returned') });
    expect(calls).toBe(1);
    unhang({ capacityBytes: 10, freeBytes: 5 });
    await new Promise((resolve) => setImmediate(resolve));
    const next = reader.read();
    unhang({ capacityBytes: 10, freeBytes: 4 });
    expect(await next).toEqual({ readable: true, space: { capacityBytes: 10, freeBytes: 4 } });
    expect(calls).toBe(2);
  });
});
