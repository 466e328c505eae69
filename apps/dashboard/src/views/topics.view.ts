import { escapeHtml } from '../core/escape-html';
import { badge, formatValue } from '../core/health';
import { type ReplicaRole, replicaRole } from '../core/replica-role';
import type { Partition, Topic, TopicDetail } from '../core/state-types';
import { badgeHtml, bodyOf, errorOf, section } from '../ui/html';
import type { ViewContext } from '../ui/view-context';

function replicationBadge(t: Topic) {
  if ((t.offlinePartitions ?? 0) > 0) return badge('crit', `${t.offlinePartitions} OFFLINE`);
  if ((t.underMinIsrPartitions ?? 0) > 0) return badge('crit', `${t.underMinIsrPartitions} UNDER MIN ISR`);
  if ((t.underReplicatedPartitions ?? 0) > 0) return badge('warn', `${t.underReplicatedPartitions} UNDER-REPLICATED`);
  if (t.underReplicatedPartitions === null) return badge('unknown', '?');
  return badge('ok', 'IN SYNC');
}

/** Topic list: a throughput sparkline per topic (live, from kafka_topic_messages_in_per_second), partitions, replication state. */
export function topicsView(ctx: ViewContext): void {
  if (ctx.params[0]) return topicDetailView(ctx, ctx.params[0]);
  const card = section('Topics', 'topics');
  ctx.root.append(card);
  const table = document.createElement('table');
  table.className = 'grid';
  table.innerHTML = '<thead><tr><th>Topic</th><th>Messages in</th><th>Rate</th><th>Partitions</th><th>Replication</th></tr></thead><tbody></tbody>';
  bodyOf(card).append(table);
  const tbody = table.tBodies[0];
  const rows = new Map<string, HTMLTableRowElement>();
  ctx.every(
    3000,
    async () => {
      const topics = (await ctx.api.get<Topic[]>(`clusters/${encodeURIComponent(ctx.cluster)}/topics`)).filter((t) => !t.name.startsWith('__')).slice(0, 200);
      for (const t of topics) {
        let row = rows.get(t.name);
        if (!row) {
          row = tbody.insertRow();
          row.dataset.topic = t.name;
          row.innerHTML = `<td>${ctx.link ? `<a href="${ctx.link('topics', t.name)}">${escapeHtml(t.name)}</a>` : escapeHtml(t.name)}</td><td class="spark"></td><td class="rate"></td><td class="parts"></td><td class="repl"></td>`;
          rows.set(t.name, row);
          if (rows.size <= 50) {
            ctx.chart({ title: t.name, metric: 'kafka_topic_messages_in_per_second', labels: { topic: t.name }, seriesName: () => t.name, unit: 'rate', compact: true }, row.cells[1]);
          }
        }
        row.cells[2].textContent = `${formatValue(t.messagesInPerSecond, 'rate')} msg/s`;
        row.cells[3].textContent = `${t.partitions ?? '?'} × ${t.replicationFactor ?? '?'}`;
        row.cells[4].innerHTML = badgeHtml(replicationBadge(t));
      }
    },
    errorOf(card),
  );
}

const REPLICA_CELL: Record<Exclude<ReplicaRole, 'none'>, { cls: string; text: string; title: string }> = {
  leader: { cls: 'ok', text: '★ leader', title: 'leader, in sync' },
  'in-sync': { cls: 'ok', text: '● in sync', title: 'follower, in sync' },
  'out-of-sync': { cls: 'crit', text: '✕ out of sync', title: 'assigned replica, not in sync (broker down or lagging)' },
};

function partitionState(p: Partition) {
  return p.offline ? badge('crit', 'OFFLINE') : p.underReplicated ? badge('warn', 'UNDER-REPLICATED') : p.underReplicated === false ? badge('ok', 'IN SYNC') : badge('unknown', '?');
}

/**
 * One topic: partitions as rows, brokers as columns. Each cell says the broker's part by shape and
 * word (★ leader, ● in sync, ✕ out of sync, empty: no replica); the row's state badge says offline
 * or under-replicated.
 */
function topicDetailView(ctx: ViewContext, name: string): void {
  const card = section(`Topic ${name}`, 'topic');
  const charts = document.createElement('div');
  charts.className = 'chart-grid';
  ctx.root.append(card, charts);
  let last = '';
  ctx.every(
    3000,
    async () => {
      const t = await ctx.api.get<TopicDetail>(`clusters/${encodeURIComponent(ctx.cluster)}/topics/${encodeURIComponent(name)}`);
      const ids = new Set<number>(t.brokers.map((b) => Number(b.broker)));
      for (const p of t.partitionDetails) {
        for (const r of p.replicas ?? []) ids.add(r);
        if (p.leader !== null && p.leader >= 0) ids.add(p.leader);
      }
      const brokerIds = [...ids].sort((a, b) => a - b);
      const head = `<tr><th>Partition</th>${brokerIds.map((b) => `<th>broker ${b}</th>`).join('')}<th>In sync</th><th>State</th><th>Log end</th></tr>`;
      const body = t.partitionDetails
        .map((p) => {
          const state = partitionState(p);
          const cells = brokerIds
            .map((b) => {
              const role = replicaRole(p, b);
              if (role === 'none') return `<td data-broker="${b}" data-replica="none"></td>`;
              const cell = REPLICA_CELL[role];
              return `<td class="replica ${role} ${cell.cls}${role === 'leader' ? ' leader' : ''}" data-broker="${b}" data-replica="${role}" title="broker ${b}: ${cell.title}">${cell.text}</td>`;
            })
            .join('');
          const isrCount = p.isr?.length ?? p.inSyncReplicas;
          const total = p.replicas?.length ?? t.replicationFactor;
          return `<tr class="${state.level}" data-partition="${p.partition}" data-leader="${p.leader ?? ''}" data-isr="${isrCount ?? ''}" data-replicas="${(p.replicas ?? []).join(',')}" data-isr-brokers="${(p.isr ?? []).join(',')}" data-state="${state.level}"><td>${p.partition}</td>${cells}<td>${isrCount ?? '?'} / ${total ?? '?'}</td><td>${badgeHtml(state)}</td><td>${p.logEndOffset ?? '?'}</td></tr>`;
        })
        .join('');
      const html = `<p>${badgeHtml(replicationBadge(t))} ${t.partitions ?? '?'} partitions, replication factor ${t.replicationFactor ?? '?'}, min ISR ${t.minInsyncReplicas ?? '?'}</p>
        <p class="legend muted">★ leader · ● in-sync follower · ✕ assigned replica out of sync · empty: no replica on that broker</p>
        <table class="grid layout"><thead>${head}</thead><tbody>${body}</tbody></table>`;
      if (html !== last) bodyOf(card).innerHTML = last = html;
    },
    errorOf(card),
  );
  ctx.chart({ title: 'Messages in', metric: 'kafka_topic_messages_in_per_second', labels: { topic: name }, seriesName: () => name, unit: 'rate' }, charts);
  ctx.chart({ title: 'Bytes in per broker', metric: 'kafka_broker_topic_bytes_in_per_second', labels: { topic: name }, seriesName: (l) => `broker ${l.broker}`, unit: 'bytes' }, charts);
}
