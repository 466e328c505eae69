import { createHash } from 'node:crypto';
import { SeriesIdentities, seriesIdOf } from './series-identity';

describe('SeriesIdentities', () => {
  const sut = () => new SeriesIdentities(3);

  it('gives the same identity whatever the order of the labels', () => {
    const identities = sut();
    const a = identities.of('c', 'm', { topic: 't', partition: '1' });
    const b = identities.of('c', 'm', { partition: '1', topic: 't' });
    expect(b.id).toBe(a.id);
    expect(a.labelNames).toEqual(['partition', 'topic']);
    expect(a.labelValues).toEqual(['1', 't']);
  });

  it('tells apart series that differ in cluster, metric or a label value', () => {
    const identities = sut();
    const ids = new Set([
      identities.of('c1', 'm', { a: '1' }).id,
      identities.of('c2', 'm', { a: '1' }).id,
      identities.of('c1', 'n', { a: '1' }).id,
      identities.of('c1', 'm', { a: '2' }).id,
    ]);
    expect(ids.size).toBe(4);
  });

  it('does not confuse a label value containing the separator with two labels', () => {
    const identities = sut();
    expect(identities.of('c', 'm', { a: '1","b","2' }).id).not.toBe(identities.of('c', 'm', { a: '1', b: '2' }).id);
    expect(identities.of('c', 'm', { a: '1', b: '2' }).key).toBe(JSON.stringify(['c', 'm', 'a', '1', 'b', '2']));
  });

  it('uses the first 64 bits of SHA-1 of the key, as an unsigned decimal', () => {
    const key = JSON.stringify(['c', 'm', 'a', '1']);
    const expected = BigInt('0x' + createHash('sha1').update(key).digest('hex').slice(0, 16)).toString();
    expect(seriesIdOf(key)).toBe(expected);
  });

  it('empties its cache at the cap instead of growing', () => {
    const identities = sut();
    for (let i = 0; i < 10; i++) identities.of('c', 'm', { i: String(i) });
    expect(identities.size).toBeLessThanOrEqual(3);
  });
});
