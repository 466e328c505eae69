import { formatRoute, parseRoute } from './route';

const VIEWS = ['overview', 'brokers', 'topics'];

describe('routes', () => {
  it('reads view, parameters, cluster and range from the hash', () => {
    expect(parseRoute('#/topics/demo.orders?cluster=prod%20eu&range=1h', VIEWS)).toEqual({ view: 'topics', params: ['demo.orders'], cluster: 'prod eu', range: '1h' });
  });

  it('falls back to the overview, live, for an empty or unknown hash and ignores a bad range', () => {
    expect(parseRoute('', VIEWS)).toEqual({ view: 'overview', params: [], cluster: undefined, range: 'live' });
    expect(parseRoute('#/nope/x?range=2y', VIEWS)).toEqual({ view: 'overview', params: [], cluster: undefined, range: 'live' });
  });

  it('round-trips names that need escaping', () => {
    const route = { view: 'topics', params: ['a/b?c'], cluster: 'x&y', range: '7d' as const };
    expect(parseRoute(formatRoute(route), VIEWS)).toEqual(route);
  });
});
