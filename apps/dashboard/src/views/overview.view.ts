import { escapeHtml } from '../core/escape-html';
import { badge, clusterHealth, type ClusterSummary } from '../core/health';
import { badgeHtml, bodyOf, errorOf, section } from '../ui/html';
import type { ViewContext } from '../ui/view-context';

/** Brokers up/total as a row of dots: filled = up, crossed = down. */
function brokerDots(up: number | null, known: number | null): string {
  if (up === null || known === null) return '<span class="muted">brokers unknown</span>';
  const dots = Array.from({ length: Math.max(known, up) }, (_, i) =>
    i < up ? '<span class="dot up" title="up">●</span>' : '<span class="dot down" title="down">✕</span>',
  ).join('');
  return `<span class="dots" aria-label="${up} of ${known} brokers up">${dots}</span>`;
}

function zookeeperDots(zk: ClusterSummary['zookeeper']): string {
  if (!zk) return '<span class="muted">no ZooKeeper (KRaft or not monitored)</span>';
  const up = zk.serversUp ?? 0;
  const total = zk.serversConfigured ?? up;
  const dots = Array.from({ length: Math.max(total, up) }, (_, i) => (i < up ? '<span class="dot up">●</span>' : '<span class="dot down">✕</span>')).join('');
  const quorum = zk.quorum === null ? badge('unknown', 'quorum ?') : zk.quorum ? badge('ok', 'quorum') : badge('crit', 'NO QUORUM');
  return `<span class="dots" aria-label="${up} of ${total} ZooKeeper servers up">${dots}</span> ${badgeHtml(quorum)}</div>
    <div class="kv"><span>ZooKeeper leader</span><b>${escapeHtml(zk.leader ?? 'none')}</b>`;
}

const count = (label: string, value: number | null, level: 'warn' | 'crit') => {
  const b = value === null ? badge('unknown', '?') : value > 0 ? badge(level, String(value)) : badge('ok', '0');
  return `<div class="kv"><span>${label}</span>${badgeHtml(b)}</div>`;
};

export function tileHtml(c: ClusterSummary, now: number, link?: (view: string) => string): string {
  const health = clusterHealth(c, now);
  const zk = c.zookeeper;
  return `<article class="tile ${health.badge.level}" data-cluster="${escapeHtml(c.name)}" data-health="${health.badge.level}"
      data-brokers-up="${c.brokersUp ?? ''}" data-brokers-total="${c.brokersKnown ?? ''}"
      data-zk-up="${zk?.serversUp ?? ''}" data-zk-total="${zk?.serversConfigured ?? ''}" data-zk-leader="${escapeHtml(zk?.leader ?? '')}">
    <header><h3>${link ? `<a href="${link('brokers')}">${escapeHtml(c.name)}</a>` : escapeHtml(c.name)}</h3>${badgeHtml(health.badge)}</header>
    ${health.reasons.length ? `<ul class="reasons">${health.reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>` : ''}
    <div class="kv"><span>Brokers <b>${c.brokersUp ?? '?'}/${c.brokersKnown ?? '?'}</b> up</span>${brokerDots(c.brokersUp, c.brokersKnown)}</div>
    <div class="kv"><span>Controller</span><b>${c.controller === null ? badgeHtml(badge('crit', 'none')) : `broker ${c.controller}`}</b></div>
    ${count('Offline partitions', c.offlinePartitions, 'crit')}
    ${count('Under-replicated', c.underReplicatedPartitions, 'warn')}
    ${count('Under min ISR', c.underMinIsrPartitions, 'crit')}
    <div class="kv"><span>ZooKeeper</span>${zookeeperDots(zk)}</div>
    <div class="kv"><span>Alerts firing</span>${badgeHtml(c.firingAlerts > 0 ? badge('warn', String(c.firingAlerts)) : badge('ok', '0'))}</div>
  </article>`;
}

export function overviewView(ctx: ViewContext): void {
  const card = section('Clusters', 'overview');
  ctx.root.append(card);
  const body = bodyOf(card);
  body.classList.add('tiles');
  ctx.every(
    2000,
    async () => {
      const clusters = await ctx.api.get<ClusterSummary[]>('clusters');
      const shown = ctx.params[0] === 'only' ? clusters.filter((c) => c.name === ctx.cluster) : clusters;
      body.innerHTML = shown.length
        ? shown.map((c) => tileHtml(c, Date.now(), ctx.link && ((view) => ctx.link!(view) .replace(/cluster=[^&]*/, `cluster=${encodeURIComponent(c.name)}`)))).join('')
        : '<p class="muted">No cluster has reported yet: is an agent running?</p>';
    },
    errorOf(card),
  );
}
