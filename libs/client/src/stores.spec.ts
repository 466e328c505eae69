import { AlertEvent, LiveSample } from '@doflamingo/contracts';
import { AlertStore } from './alert-store';
import { LiveSeriesStore, SeriesIdentity, seriesKey } from './live-series-store';

const sample = (metric: string, labels: Record<string, string>, value: number, ts: number): LiveSample => ({ cluster: 'c', metric, labels, value, ts });
const alert = (id: string, state: AlertEvent['state'], at: number): AlertEvent => ({
  schemaVersion: 1, id, rule: 'r', state, severity: 'warning', cluster: 'c', labels: {}, message: '', value: null, startsAt: 0, at,
});

describe('seriesKey', () => {
  it('does not depend on label order', () => {
    expect(seriesKey({ cluster: 'c', metric: 'm', labels: { b: '2', a: '1' } })).toBe(seriesKey({ cluster: 'c', metric: 'm', labels: { a: '1', b: '2' } }));
  });

  it('tells apart series a naive join would confuse', () => {
    const series: SeriesIdentity[] = [
      { cluster: 'c', metric: 'm', labels: { a: 'x,b=y' } },
      { cluster: 'c', metric: 'm', labels: { a: 'x', b: 'y' } },
      { cluster: 'c/m', metric: '', labels: {} },
      { cluster: 'c', metric: '/m', labels: {} },
      { cluster: 'd', metric: 'm', labels: { a: 'x', b: 'y' } },
    ];
    const keys = series.map(seriesKey);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('LiveSeriesStore', () => {
  it('replace drops series the snapshot lacks and reports them', () => {
    const sut = new LiveSeriesStore();
    sut.replace([sample('a', {}, 1, 1), sample('b', {}, 2, 1)]);
    const change = sut.replace([sample('b', {}, 3, 2), sample('c', {}, 4, 2)]);
    expect(sut.values().map((s) => `${s.metric}=${s.value}`).sort()).toEqual(['b=3', 'c=4']);
    expect(change.removed.map((s) => s.metric)).toEqual(['a']);
    expect(change.changed.map((s) => s.metric).sort()).toEqual(['b', 'c']);
  });

  it('merge keeps the newest value per series and reports only real changes', () => {
    const sut = new LiveSeriesStore();
    sut.replace([sample('a', { x: '1' }, 1, 10)]);
    const change = sut.merge([sample('a', { x: '1' }, 1, 10), sample('a', { x: '1' }, 0, 5), sample('a', { x: '2' }, 7, 10)]);
    expect(change.changed.map((s) => `${s.labels.x}=${s.value}`)).toEqual(['2=7']);
    expect(sut.size).toBe(2);
    expect(sut.merge([sample('a', { x: '1' }, 8, 11)]).changed.map((s) => s.value)).toEqual([8]);
    expect(sut.get(seriesKey(sample('a', { x: '1' }, 0, 0)))?.value).toBe(8);
  });
});

describe('AlertStore', () => {
  it('keeps one entry per id, newest first; a state change replaces, a replay does not', () => {
    const sut = new AlertStore(10);
    sut.merge([alert('a', 'pending', 1), alert('b', 'firing', 2)]);
    sut.merge([alert('a', 'firing', 3)]);
    const replay = sut.merge([alert('b', 'pending', 1)]);
    expect(replay.changed).toEqual([]);
    expect(sut.values().map((a) => `${a.id}:${a.state}`)).toEqual(['a:firing', 'b:firing']);
    sut.merge([alert('b', 'resolved', 4)]);
    expect(sut.values().map((a) => `${a.id}:${a.state}`)).toEqual(['b:resolved', 'a:firing']);
  });

  it('stays bounded, dropping resolved alerts first, then the oldest', () => {
    const sut = new AlertStore(2);
    sut.merge([alert('old-firing', 'firing', 1), alert('resolved', 'resolved', 5)]);
    const change = sut.merge([alert('new', 'firing', 6)]);
    expect(change.removed.map((a) => a.id)).toEqual(['resolved']);
    expect(sut.values().map((a) => a.id)).toEqual(['new', 'old-firing']);
    sut.merge([alert('newer', 'firing', 7)]);
    expect(sut.values().map((a) => a.id)).toEqual(['newer', 'new']);
  });

  it('replace reports alerts the snapshot no longer has', () => {
    const sut = new AlertStore(10);
    sut.merge([alert('a', 'firing', 1), alert('b', 'firing', 1)]);
    const change = sut.replace([alert('b', 'resolved', 2)]);
    expect(change.removed.map((a) => a.id)).toEqual(['a']);
    expect(sut.values().map((a) => `${a.id}:${a.state}`)).toEqual(['b:resolved']);
  });
});
