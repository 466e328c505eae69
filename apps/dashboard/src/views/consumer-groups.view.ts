import { escapeHtml } from '../core/escape-html';
import { consumerStatusBadge, formatValue, timeToCatchUpSeconds } from '../core/health';
import type { ConsumerGroup } from '../core/state-types';
import { badgeHtml, bodyOf, errorOf, section } from '../ui/html';
import type { ViewContext } from '../ui/view-context';

function trendText(trend: number | null): string {
  if (trend === null) return '–';
  if (Math.abs(trend) < 0.5) return '→ steady';
  return trend > 0 ? `↗ growing ${formatValue(trend, 'rate')}/s` : `↘ shrinking ${formatValue(-trend, 'rate')}/s`;
}

function catchUpText(g: ConsumerGroup): string {
  const t = timeToCatchUpSeconds(g.lag, g.lagTrend);
  if (t === null) return (g.lag ?? 0) > 0 ? 'not catching up' : '–';
  if (t === 0) return 'caught up';
  return t < 120 ? `${Math.round(t)} s` : t < 7200 ? `${Math.round(t / 60)} min` : `${(t / 3600).toFixed(1)} h`;
}

const MAX_ROWS = 100;
const SEVERITY: Record<string, number> = { ERR: 5, STALL: 4, WARN: 3, REWIND: 2, STOP: 1, OK: 0 };
const severity = (g: ConsumerGroup) => (g.status === null ? 0 : (SEVERITY[g.status] ?? 0));

/** Consumer groups: status (OK/WARN/ERR/STOP/STALL/REWIND), lag, trend, time to catch up, and lag over time. */
export function consumerGroupsView(ctx: ViewContext): void {
  const card = section('Consumer groups', 'groups');
  const charts = document.createElement('div');
  charts.className = 'chart-grid';
  ctx.root.append(card, charts);
  const groupName = (l: Record<string, string>) => l.group ?? '?';
  ctx.every(
    2000,
    async () => {
      const all = await ctx.api.get<ConsumerGroup[]>(`clusters/${encodeURIComponent(ctx.cluster)}/consumer-groups`);
      // Worst first; a cluster with hundreds of groups shows the 100 that most need a look.
      const groups = [...all].sort((a, b) => severity(b) - severity(a) || (b.lag ?? 0) - (a.lag ?? 0) || a.group.localeCompare(b.group)).slice(0, MAX_ROWS);
      const more = all.length - groups.length;
      bodyOf(card).innerHTML = `${more > 0 ? `<p class="muted">The ${MAX_ROWS} groups in the worst state of ${all.length}; ${more} more are not listed.</p>` : ''}<table class="grid"><thead><tr><th>Group</th><th>Status</th><th>State</th><th>Members</th><th>Lag</th><th>Lag (time)</th><th>Trend</th><th>Catch up in</th></tr></thead><tbody>${groups
        .map(
          (g) => `<tr data-group="${escapeHtml(g.group)}" data-status="${escapeHtml(g.status ?? '')}" data-lag="${g.lag ?? ''}"><td>${escapeHtml(g.group)}</td><td>${badgeHtml(consumerStatusBadge(g.status))}</td><td>${escapeHtml(g.state ?? '?')}</td>
            <td>${g.members ?? '?'}</td><td>${formatValue(g.lag)} msgs</td><td>${formatValue(g.lagSeconds, 'seconds')}</td><td>${trendText(g.lagTrend)}</td><td>${catchUpText(g)}</td></tr>`,
        )
        .join('')}</tbody></table>`;
    },
    errorOf(card),
  );
  ctx.chart({ title: 'Lag (messages) per group', metric: 'kafka_consumer_group_lag', seriesName: groupName, unit: 'count' }, charts);
  ctx.chart({ title: 'Lag (seconds behind) per group', metric: 'kafka_consumer_group_max_lag_seconds', seriesName: groupName, unit: 'seconds' }, charts);
}
