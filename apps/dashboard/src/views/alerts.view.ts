import { alertEpisodes, episodeBar, type AlertEpisode } from '../core/alert-episodes';
import { escapeHtml } from '../core/escape-html';
import { badge, type Badge } from '../core/health';
import type { Alert } from '../core/state-types';
import { rangeSpanMs } from '../core/time-range';
import { badgeHtml, bodyOf, errorOf, section } from '../ui/html';
import type { ViewContext } from '../ui/view-context';

function alertBadge(a: Alert): Badge {
  if (a.state === 'resolved') return badge('ok', 'RESOLVED');
  if (a.state === 'pending') return badge('unknown', 'PENDING');
  return a.severity === 'critical' ? badge('crit', 'FIRING critical') : a.severity === 'warning' ? badge('warn', 'FIRING warning') : badge('off', 'FIRING info');
}

const row = (a: Alert) =>
  `<li class="alert ${a.state}" data-alert="${escapeHtml(a.id)}" data-state="${a.state}">${badgeHtml(alertBadge(a))}
    <b>${escapeHtml(a.rule)}</b> <span class="muted">${escapeHtml(a.cluster)} ${escapeHtml(Object.entries(a.labels).map(([k, v]) => `${k}=${v}`).join(' '))}</span>
    <div>${escapeHtml(a.message)}</div><time>${new Date(a.at).toLocaleString()}</time></li>`;

/** The history window: the selected range, but at least an hour (a 5-minute "live" window would show almost nothing). */
const MIN_HISTORY_MS = 3_600_000;
const SEVERITY_SHAPE: Record<Alert['severity'], string> = { critical: '▲', warning: '◆', info: '●' };

/** Each episode a row, its firing time a bar coloured and marked by severity: what fired when, and for how long. */
function timeline(episodes: AlertEpisode[], from: number, to: number): string {
  if (episodes.length === 0) return `<p class="muted">${badgeHtml(badge('ok', 'quiet'))} No alert fired in this window.</p>`;
  const rows = episodes.map((episode) => {
    const { left, width } = episodeBar(episode, from, to);
    const labels = Object.entries(episode.labels).map(([k, v]) => `${k}=${v}`).join(' ');
    const state = episode.end === undefined ? (episode.firedAt === undefined ? 'pending' : 'firing') : 'resolved';
    return `<div class="episode" data-alert="${escapeHtml(episode.id)}" data-state="${state}">
      <span class="episode-name">${SEVERITY_SHAPE[episode.severity]} ${escapeHtml(episode.rule)} <span class="muted">${escapeHtml(labels)}</span></span>
      <span class="episode-track"><span class="episode-bar ${episode.severity} ${state}" style="left:${left.toFixed(2)}%;width:${width.toFixed(2)}%" title="${escapeHtml(episode.message)}"></span></span>
    </div>`;
  });
  const tick = (t: number) => `<time>${new Date(t).toLocaleString()}</time>`;
  return `<div class="alert-timeline">${rows.join('')}<div class="episode-axis">${tick(from)}${tick(to)}</div></div>`;
}

/** Alerts: the live feed (WebSocket alerts channel, newest first) and the history (REST, from ClickHouse) as a timeline and a list. */
export function alertsView(ctx: ViewContext): void {
  const live = section('Live alerts', 'alerts-live');
  const history = section('History', 'alerts-history');
  ctx.root.append(live, history);
  const liveList = document.createElement('ul');
  liveList.className = 'alerts';
  bodyOf(live).append(liveList);
  const render = () => {
    const alerts = subscription.values().filter((a) => a.cluster === ctx.cluster);
    liveList.dataset.count = String(alerts.length);
    liveList.innerHTML = alerts.length ? alerts.map((a) => row(a as Alert)).join('') : `<li class="muted">${badgeHtml(badge('ok', 'nothing firing'))} No alerts for ${escapeHtml(ctx.cluster)}.</li>`;
  };
  const subscription = ctx.client.subscribe({ channel: 'alerts', cluster: ctx.cluster }, { onChange: render });
  ctx.onDispose(() => subscription.unsubscribe());
  render();
  ctx.every(
    10_000,
    async () => {
      const to = Date.now();
      const from = to - Math.max(MIN_HISTORY_MS, rangeSpanMs(ctx.range));
      const events = await ctx.api.get<Alert[]>('alerts/history', { cluster: ctx.cluster, from, to, limit: 1000 });
      const list = events.filter((e) => e.state !== 'pending').slice(0, 200);
      bodyOf(history).innerHTML =
        timeline(alertEpisodes(events), from, to) + (list.length ? `<ul class="alerts">${list.map(row).join('')}</ul>` : '<p class="muted">No alerts recorded.</p>');
    },
    errorOf(history),
  );
}
