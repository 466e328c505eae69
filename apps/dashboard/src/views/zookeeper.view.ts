import { escapeHtml } from '../core/escape-html';
import { badge, formatValue } from '../core/health';
import type { ZooKeeper } from '../core/state-types';
import { layoutEnsemble } from '../core/zookeeper-layout';
import { badgeHtml, bodyOf, errorOf, section } from '../ui/html';
import type { ViewContext } from '../ui/view-context';

const ROLE_TEXT = { leader: 'LEADER', follower: 'follower', observer: 'observer', down: 'DOWN', other: '?' } as const;

/** The ensemble as SVG: leader on top with a crown, followers linked to it, down servers crossed out. */
export function ensembleSvg(zk: ZooKeeper): string {
  const width = 420;
  const height = 240;
  const placed = layoutEnsemble(zk.servers, width, height);
  const leader = placed.find((p) => p.role === 'leader');
  const links = leader
    ? placed
        .filter((p) => p !== leader && p.role !== 'down')
        .map((p) => `<line x1="${leader.x}" y1="${leader.y}" x2="${p.x}" y2="${p.y}" class="link"/>`)
        .join('')
    : '';
  const nodes = placed
    .map((p) => {
      const shape =
        p.role === 'leader'
          ? `<rect x="${p.x - 34}" y="${p.y - 26}" width="68" height="52" rx="10" class="node ${p.role}"/><text x="${p.x}" y="${p.y - 32}" class="crown">♛</text>`
          : p.role === 'down'
            ? `<circle cx="${p.x}" cy="${p.y}" r="26" class="node down"/><path d="M${p.x - 14} ${p.y - 14} L${p.x + 14} ${p.y + 14} M${p.x + 14} ${p.y - 14} L${p.x - 14} ${p.y + 14}" class="cross"/>`
            : `<circle cx="${p.x}" cy="${p.y}" r="26" class="node ${p.role}"/>`;
      return `<g data-server="${escapeHtml(p.server.server)}" data-role="${p.role}">${shape}
        <text x="${p.x}" y="${p.y + 44}" class="label">${escapeHtml(p.server.server)}</text>
        <text x="${p.x}" y="${p.y + 60}" class="role">${ROLE_TEXT[p.role]}</text></g>`;
    })
    .join('');
  return `<svg class="ensemble" viewBox="0 0 ${width} ${height + 40}" role="img" aria-label="ZooKeeper ensemble: leader ${escapeHtml(zk.leader ?? 'none')}">${links}${nodes}</svg>`;
}

export function zookeeperView(ctx: ViewContext): void {
  const card = section('ZooKeeper ensemble', 'zookeeper');
  const charts = document.createElement('div');
  charts.className = 'chart-grid';
  ctx.root.append(card, charts);
  ctx.every(
    2000,
    async () => {
      const zk = await ctx.api.get<ZooKeeper>(`clusters/${encodeURIComponent(ctx.cluster)}/zookeeper`);
      const quorum = zk.quorum === null ? badge('unknown', 'quorum ?') : zk.quorum ? badge('ok', 'QUORUM') : badge('crit', 'NO QUORUM');
      const probe = zk.probeSuccess === null ? badge('unknown', 'probe ?') : zk.probeSuccess ? badge('ok', `probe ok ${formatValue(zk.probeLatencySeconds, 'seconds')}`) : badge('crit', 'PROBE FAILED');
      bodyOf(card).innerHTML = `<div class="zk" data-leader="${escapeHtml(zk.leader ?? '')}" data-servers-up="${zk.serversUp ?? ''}" data-servers-total="${zk.serversConfigured ?? ''}">
        <p>${badgeHtml(quorum)} ${badgeHtml(probe)} <span>${zk.serversUp ?? '?'}/${zk.serversConfigured ?? '?'} servers up, leader <b>${escapeHtml(zk.leader ?? 'none')}</b>, ${zk.leaderChanges ?? 0} leader changes seen</span></p>
        ${ensembleSvg(zk)}
        <table class="grid"><thead><tr><th>Server</th><th>Role</th><th>Latency avg / max</th><th>Outstanding</th><th>Connections</th><th>Znodes</th><th>Watches</th></tr></thead><tbody>
        ${zk.servers
          .map(
            (s) => `<tr><td>${escapeHtml(s.server)}</td><td>${escapeHtml(s.mode)}</td><td>${formatValue(s.latencyAvgSeconds, 'seconds')} / ${formatValue(s.latencyMaxSeconds, 'seconds')}</td>
              <td>${s.outstandingRequests ?? '–'}</td><td>${s.connections ?? '–'}</td><td>${s.znodes ?? '–'}</td><td>${s.watches ?? '–'}</td></tr>`,
          )
          .join('')}</tbody></table></div>`;
    },
    errorOf(card),
  );
  const server = (l: Record<string, string>) => l.server ?? '?';
  ctx.chart({ title: 'Request latency (avg)', metric: 'zookeeper_request_latency_avg_seconds', seriesName: server, unit: 'seconds' }, charts);
  ctx.chart({ title: 'Outstanding requests', metric: 'zookeeper_outstanding_requests', seriesName: server, unit: 'count' }, charts);
  ctx.chart({ title: 'Connections', metric: 'zookeeper_alive_connections', seriesName: server, unit: 'count' }, charts);
  ctx.chart({ title: 'Watches', metric: 'zookeeper_watches', seriesName: server, unit: 'count' }, charts);
  ctx.chart({ title: 'Synthetic probe latency', metric: 'zookeeper_probe_latency_seconds', seriesName: () => 'probe', unit: 'seconds' }, charts);
}
