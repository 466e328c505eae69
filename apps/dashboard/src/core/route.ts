import { isTimeRange, type TimeRange } from './time-range';

export interface Route {
  view: string;
  params: string[];
  cluster?: string;
  range: TimeRange;
}

/** `#/topics/demo.orders?cluster=local&range=1h` → { view: 'topics', params: ['demo.orders'], cluster: 'local', range: '1h' }. */
export function parseRoute(hash: string, views: readonly string[]): Route {
  const [path, query = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const parts = path.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  const view = views.includes(parts[0]) ? parts[0] : 'overview';
  const search = new URLSearchParams(query);
  const range = search.get('range');
  return { view, params: view === parts[0] ? parts.slice(1) : [], cluster: search.get('cluster') || undefined, range: isTimeRange(range) ? range : 'live' };
}

export function formatRoute(route: Route): string {
  const path = [route.view, ...route.params].map(encodeURIComponent).join('/');
  const search = new URLSearchParams();
  if (route.cluster) search.set('cluster', route.cluster);
  if (route.range !== 'live') search.set('range', route.range);
  const query = search.toString();
  return `#/${path}${query ? `?${query}` : ''}`;
}
