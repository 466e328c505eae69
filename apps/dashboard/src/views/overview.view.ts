import { escapeHtml } from '../core/escape-html';
import { badge, type BrokerState, brokerStates, clusterHealth, type ClusterSummary, ensembleHealth } from '../core/health';
import type { Broker, ZooKeeper, ZooKeeperServer } from '../core/state-types';
import { badgeHtml, bodyOf, errorOf, section } from '../ui/html';
import type { ViewContext } from '../ui/view-context';

/** Brokers as a row of dots, one per broker with its id: filled = up, crossed = down, hollow = no report. */
function brokerDots(states: readonly BrokerState[] | undefined, c: ClusterSummary): string {
  if (!states || states.length === 0) {
    if (c.brokersUp === null || c.brokersKnown === null) return '<span class="muted">brokers unknown</span>';
    const dots = Array.from({ length: Math.max(c.brokersKnown, c.brokersUp) }, (_, i) =>
      i < c.brokersUp! ? '<span class="dot up" data-state="up" title="up">●</span>' : '<span class="dot down" data-state="down" title="down">✕</span>',
    ).join('');
    return `<span class="dots" aria-label="${c.brokersUp} of ${c.brokersKnown} brokers up">${dots}</span>`;
  }
  const shape = { up: '●', down: '✕', unknown: '○' } as const;
  const dots = states
    .map((b) => `<span class="dot ${b.state}" data-broker="${escapeHtml(b.id)}" data-state="${b.state}" title="${escapeHtml(b.why)}">${shape[b.state]}<sub>${escapeHtml(b.id)}</sub></span>`)
    .join('');
  const up = states.filter((b) => b.state === 'up').length;
  return `<span class="dots" aria-label="${up} of ${states.length} brokers up">${dots}</span>`;
}

const count = (label: string, value: number | null, level: 'warn' | 'crit') => {
  const b = value === null ? badge('unknown', '?') : value > 0 ? badge(level, String(value)) : badge('ok', '0');
  return `<div class="kv"><span>${label}</span>${badgeHtml(b)}</div>`;
};

const reasonsHtml = (reasons: string[]) => (reasons.length ? `<ul class="reasons">${reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>` : '');

/** The Kafka cluster: brokers (one dot each), controller, partition health, firing alerts. */
export function clusterTileHtml(c: ClusterSummary, now: number, brokers: readonly Broker[] | undefined, link?: (view: string) => string): string {
  const states = brokers && brokers.length > 0 ? brokerStates(brokers) : undefined;
  const health = clusterHealth(c, now, states);
  const up = states ? states.filter((b) => b.state === 'up').length : c.brokersUp;
  const total = states ? states.length : c.brokersKnown;
  return `<article class="tile cluster ${health.badge.level}" data-cluster="${escapeHtml(c.name)}" data-health="${health.badge.level}"
      data-brokers-up="${up ?? ''}" data-brokers-total="${total ?? ''}" data-brokers-registered="${c.brokersUp ?? ''}">
    <header><h3>${link ? `<a href="${link('brokers')}">${escapeHtml(c.name)}</a>` : escapeHtml(c.name)} <small class="muted">Kafka</small></h3>${badgeHtml(health.badge)}</header>
    ${reasonsHtml(health.reasons)}
    <div class="kv"><span>Brokers <b>${up ?? '?'}/${total ?? '?'}</b> up</span>${brokerDots(states, c)}</div>
    <div class="kv"><span>Controller</span><b>${c.controller === null ? badgeHtml(badge('crit', 'none')) : `broker ${c.controller}`}</b></div>
    ${count('Offline partitions', c.offlinePartitions, 'crit')}
    ${count('Under-replicated', c.underReplicatedPartitions, 'warn')}
    ${count('Under min ISR', c.underMinIsrPartitions, 'crit')}
    <div class="kv"><span>Alerts firing</span>${badgeHtml(c.firingAlerts > 0 ? badge('warn', String(c.firingAlerts)) : badge('ok', '0'))}</div>
  </article>`;
}

const ROLE_SHAPE = { leader: '♛', follower: '●', observer: '◆', down: '✕', other: '○' } as const;
const roleOf = (s: ZooKeeperServer): keyof typeof ROLE_SHAPE =>
  s.up === false || s.mode === 'down' ? 'down' : s.mode === 'leader' || s.mode === 'standalone' ? 'leader' : s.mode === 'follower' ? 'follower' : s.mode === 'observer' ? 'observer' : 'other';

/** The ZooKeeper ensemble the cluster runs on: one mark per server (crown = leader, cross = down), quorum, leader. */
export function ensembleTileHtml(cluster: string, summary: NonNullable<ClusterSummary['zookeeper']>, detail: ZooKeeper | undefined, link?: (view: string) => string): string {
  const health = ensembleHealth(summary);
  const quorum = summary.quorum === null ? badge('unknown', 'quorum ?') : summary.quorum ? badge('ok', 'quorum') : badge('crit', 'NO QUORUM');
  const servers = detail?.servers ?? [];
  const marks = servers.length
    ? servers
        .map((s) => {
          const role = roleOf(s);
          return `<span class="dot ${role === 'down' ? 'down' : role === 'other' ? 'unknown' : 'up'} ${role}" data-server="${escapeHtml(s.server)}" data-role="${role}" title="${escapeHtml(`${s.server}: ${role}`)}">${ROLE_SHAPE[role]}</span>`;
        })
        .join('')
    : '<span class="muted">servers unknown</span>';
  return `<article class="tile ensemble ${health.badge.level}" data-ensemble="${escapeHtml(cluster)}" data-health="${health.badge.level}"
      data-zk-up="${summary.serversUp ?? ''}" data-zk-total="${summary.serversConfigured ?? ''}" data-zk-leader="${escapeHtml(summary.leader ?? '')}">
    <header><h3>${link ? `<a href="${link('zookeeper')}">${escapeHtml(cluster)}</a>` : escapeHtml(cluster)} <small class="muted">ZooKeeper</small></h3>${badgeHtml(health.badge)}</header>
    ${reasonsHtml(health.reasons)}
    <div class="kv"><span>Servers <b>${summary.serversUp ?? '?'}/${summary.serversConfigured ?? '?'}</b> up</span><span class="dots" aria-label="ZooKeeper servers">${marks}</span></div>
    <div class="kv"><span>Quorum</span>${badgeHtml(quorum)}</div>
    <div class="kv"><span>Leader</span><b>${summary.leader ? `♛ ${escapeHtml(summary.leader)}` : badgeHtml(badge('warn', 'none'))}</b></div>
  </article>`;
}

/**
 * Overview: per cluster one Kafka tile and, when it runs on ZooKeeper, one ensemble tile. Per-broker
 * and per-server states come from the cluster's brokers and zookeeper answers; a tile is only
 * re-rendered when its HTML changed.
 */
export function overviewView(ctx: ViewContext): void {
  const card = section('Clusters and ensembles', 'overview');
  ctx.root.append(card);
  const body = bodyOf(card);
  body.classList.add('tiles');
  let last = '';
  ctx.every(
    2000,
    async () => {
      const clusters = await ctx.api.get<ClusterSummary[]>('clusters');
      const shown = ctx.params[0] === 'only' ? clusters.filter((c) => c.name === ctx.cluster) : clusters;
      const at = (name: string) => `clusters/${encodeURIComponent(name)}`;
      const details = await Promise.all(
        shown.map(async (c) => ({
          brokers: await ctx.api.get<Broker[]>(`${at(c.name)}/brokers`).catch(() => undefined),
          zookeeper: c.zookeeper ? await ctx.api.get<ZooKeeper>(`${at(c.name)}/zookeeper`).catch(() => undefined) : undefined,
        })),
      );
      const now = Date.now();
      const html = shown.length
        ? shown
            .map((c, i) => {
              const link = ctx.link && ((view: string) => ctx.link!(view).replace(/cluster=[^&]*/, `cluster=${encodeURIComponent(c.name)}`));
              return clusterTileHtml(c, now, details[i].brokers, link) + (c.zookeeper ? ensembleTileHtml(c.name, c.zookeeper, details[i].zookeeper, link) : '');
            })
            .join('')
        : '<p class="muted">No cluster has reported yet: is an agent running?</p>';
      if (html !== last) body.innerHTML = last = html;
    },
    errorOf(card),
  );
}
