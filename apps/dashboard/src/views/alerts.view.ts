import { escapeHtml } from '../core/escape-html';
import { badge, type Badge } from '../core/health';
import type { Alert } from '../core/state-types';
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

/** Alerts: the live feed (WebSocket alerts channel, newest first) and the gateway's recent history (REST). */
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
      const alerts = await ctx.api.get<Alert[]>('alerts', { cluster: ctx.cluster });
      bodyOf(history).innerHTML = alerts.length ? `<ul class="alerts">${alerts.map(row).join('')}</ul>` : '<p class="muted">No alerts recorded.</p>';
    },
    errorOf(history),
  );
}
