import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { DoflamingoClient } from '@doflamingo/client';
import { escapeHtml } from './core/escape-html';
import { connectionText } from './ui/connection-text';
import { RestApi } from './core/rest-api';
import { formatRoute, parseRoute, type Route } from './core/route';
import { readToken, webSocketUrl } from './core/settings';
import { TIME_RANGES } from './core/time-range';
import { frames } from './ui/frame-scheduler';
import { LiveChart } from './ui/live-chart';
import { ViewContext } from './ui/view-context';
import { VIEWS } from './views/view-registry';

const storage = (() => {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
})();
const token = readToken(window.location, storage);
if (new URLSearchParams(window.location.search).has('access_token')) {
  // Keep the key out of the address bar (and out of screenshots and history).
  history.replaceState(null, '', window.location.pathname + window.location.hash);
}
const settings = { baseUrl: '', token };
const api = new RestApi(settings);
const client = new DoflamingoClient({ url: webSocketUrl('', window.location.origin), token });

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const connection = $('connection');
client.onState((status) => {
  connection.dataset.state = status.state;
  connection.textContent = connectionText(status);
});
client.connect();

// Theme: auto (follows the system), light or dark; remembered.
const themes = ['auto', 'light', 'dark'] as const;
let theme = (storage?.getItem('doflamingo.theme') as (typeof themes)[number] | null) ?? 'auto';
const applyTheme = () => {
  document.documentElement.dataset.theme = theme;
  $('theme').textContent = `◐ ${theme}`;
};
$('theme').addEventListener('click', () => {
  theme = themes[(themes.indexOf(theme) + 1) % themes.length];
  storage?.setItem('doflamingo.theme', theme);
  applyTheme();
  LiveChart.restyleAll(); // the same charts, new axis and grid colours
});
applyTheme();
// 'auto' follows the system: restyle the charts when it switches.
window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener?.('change', () => LiveChart.restyleAll());

const rangeSelect = $<HTMLSelectElement>('range');
rangeSelect.innerHTML = TIME_RANGES.map((r) => `<option value="${r}">${r}</option>`).join('');
const clusterSelect = $<HTMLSelectElement>('cluster');
let clusters: string[] = [];
let current: ViewContext | undefined;

function route(): Route {
  return parseRoute(window.location.hash, Object.keys(VIEWS));
}

function go(change: Partial<Route>): void {
  window.location.hash = formatRoute({ ...route(), ...change });
}
rangeSelect.addEventListener('change', () => go({ range: rangeSelect.value as Route['range'] }));
clusterSelect.addEventListener('change', () => go({ cluster: clusterSelect.value, params: [] }));

async function loadClusters(): Promise<void> {
  try {
    const list = await api.get<{ name: string }[]>('clusters');
    const names = list.map((c) => c.name);
    if (names.join('\n') !== clusters.join('\n')) {
      clusters = names;
      // Another cluster appearing changes the picker, not the view on screen (unless it had none yet).
      if (shown && shown.cluster === currentCluster(route())) renderClusterPicker(shown.cluster);
      else render();
    }
  } catch {
    // shown by the views themselves
  }
}

/** What the view on screen shows; a route differing from it only in range keeps the view. */
let shown: { view: string; params: string; cluster: string } | undefined;

function onRouteChange(): void {
  const r = route();
  const cluster = currentCluster(r);
  if (current && shown && shown.view === r.view && shown.params === r.params.join('/') && shown.cluster === cluster) {
    rangeSelect.value = r.range;
    renderNav(r, cluster);
    current.setRange(r.range);
    return;
  }
  render();
}

function currentCluster(r: Route): string {
  return r.cluster ?? storage?.getItem('doflamingo.cluster') ?? clusters[0] ?? '';
}

function renderClusterPicker(cluster: string): void {
  clusterSelect.innerHTML = (clusters.includes(cluster) || !cluster ? clusters : [cluster, ...clusters]).map((c) => `<option${c === cluster ? ' selected' : ''}>${escapeHtml(c)}</option>`).join('');
}

function renderNav(r: Route, cluster: string): void {
  const link = (view: string, ...params: string[]) => formatRoute({ view, params, cluster, range: r.range });
  $('nav').innerHTML = Object.entries(VIEWS)
    .map(([id, v]) => `<a href="${link(id)}"${id === r.view ? ' aria-current="page"' : ''}>${v.title}</a>`)
    .join('');
}

// Links inside a view were written with the range of the moment; follow them with the range of now.
$('view').addEventListener('click', (event) => {
  const anchor = (event.target as Element | null)?.closest?.('a[href^="#/"]');
  if (!anchor) return;
  const target = parseRoute(anchor.getAttribute('href')!, Object.keys(VIEWS));
  const range = route().range;
  if (target.range === range) return;
  event.preventDefault();
  window.location.hash = formatRoute({ ...target, range });
});

function render(): void {
  const r = route();
  const cluster = currentCluster(r);
  if (r.cluster) storage?.setItem('doflamingo.cluster', r.cluster);
  rangeSelect.value = r.range;
  renderClusterPicker(cluster);
  renderNav(r, cluster);
  const link = (view: string, ...params: string[]) => formatRoute({ view, params, cluster, range: route().range });
  current?.dispose();
  shown = { view: r.view, params: r.params.join('/'), cluster };
  const root = $('view');
  root.replaceChildren();
  root.dataset.view = r.view;
  document.title = `${VIEWS[r.view].title} · Doflamingo`;
  if (!cluster && r.view !== 'overview' && r.view !== 'alerts') {
    root.innerHTML = '<p class="muted">Waiting for a cluster to report…</p>';
    current = undefined;
    shown = undefined;
    return;
  }
  current = new ViewContext(root, cluster, r.range, r.params, api, client, link);
  VIEWS[r.view].render(current);
}

window.addEventListener('hashchange', onRouteChange);
render();
void loadClusters();
setInterval(() => void loadClusters(), 10_000);

// For the browser benchmark (bench/dashboard-frames.bench.ts): each pane redraw, each chart-wide update, each frame's chart work.
(window as unknown as { doflamingoStats: Record<string, number[]> }).doflamingoStats = {
  chartUpdateMs: LiveChart.updateTimes,
  chartPrepareMs: LiveChart.prepareTimes,
  frameWorkMs: frames.frameWorkMs,
};
