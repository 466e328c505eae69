import uPlotCss from 'uplot/dist/uPlot.min.css?inline';
import styles from './styles.css?inline';
import { DoflamingoClient } from '@doflamingo/client';
import { escapeHtml } from './core/escape-html';
import { RestApi } from './core/rest-api';
import { webSocketUrl } from './core/settings';
import { isTimeRange } from './core/time-range';
import { connectionText } from './ui/connection-text';
import { ViewContext } from './ui/view-context';
import { VIEWS } from './views/view-registry';

/**
 * `<doflamingo-panel gateway="https://gw:8080" cluster="prod" view="overview|brokers|topics|groups|zookeeper|alerts"
 *   topic="…" range="live|15m|1h|24h|7d" token="…" theme="light|dark">` — one dashboard view in a
 * shadow root, for Flamingo or any page. One classic script tag loads it (dist/dashboard/doflamingo-panel.js).
 */
export class DoflamingoPanelElement extends HTMLElement {
  static readonly observedAttributes = ['gateway', 'cluster', 'view', 'range', 'token', 'topic'];
  private client: DoflamingoClient | undefined;
  private context: ViewContext | undefined;
  private root: HTMLElement | undefined;
  private status: HTMLElement | undefined;
  private scheduled = false;

  connectedCallback(): void {
    if (!this.shadowRoot) {
      const shadow = this.attachShadow({ mode: 'open' });
      shadow.innerHTML = `<style>${uPlotCss}\n${styles}</style><div class="panel-head"><strong class="title"></strong><span class="connection" role="status"></span></div><div class="view"></div>`;
    }
    this.root = this.shadowRoot!.querySelector<HTMLElement>('.view')!;
    this.status = this.shadowRoot!.querySelector<HTMLElement>('.connection')!;
    this.restart();
  }

  disconnectedCallback(): void {
    this.context?.dispose();
    this.client?.close();
    this.context = this.client = undefined;
  }

  attributeChangedCallback(name: string, _old: string | null, value: string | null): void {
    // A new range keeps the view, its subscriptions and charts: only the history is reloaded.
    if (name === 'range' && this.context && !this.scheduled) {
      this.context.setRange(isTimeRange(value) ? value : 'live');
      return;
    }
    if (!this.isConnected || this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.restart();
    });
  }

  private restart(): void {
    this.disconnectedCallback();
    const base = this.getAttribute('gateway') ?? '';
    const token = this.getAttribute('token') ?? undefined;
    const view = this.getAttribute('view') ?? 'overview';
    const cluster = this.getAttribute('cluster') ?? '';
    const range = this.getAttribute('range');
    const entry = VIEWS[view];
    const root = this.root!;
    root.replaceChildren();
    root.dataset.view = view;
    this.shadowRoot!.querySelector('.title')!.textContent = `Doflamingo · ${cluster} · ${entry?.title ?? view}`;
    if (!entry) {
      root.innerHTML = `<p class="load-error">Unknown view ${escapeHtml(view)}: use one of ${Object.keys(VIEWS).join(', ')}.</p>`;
      return;
    }
    const client = new DoflamingoClient({ url: webSocketUrl(base, window.location.href), token });
    client.onState((status) => {
      this.status!.dataset.state = status.state;
      this.status!.textContent = connectionText(status);
    });
    client.connect();
    this.client = client;
    const params = view === 'topics' && this.getAttribute('topic') ? [this.getAttribute('topic')!] : view === 'overview' && cluster ? ['only'] : [];
    this.context = new ViewContext(root, cluster, isTimeRange(range) ? range : 'live', params, new RestApi({ baseUrl: base, token }), client, undefined);
    entry.render(this.context);
  }
}

if (!customElements.get('doflamingo-panel')) customElements.define('doflamingo-panel', DoflamingoPanelElement);
