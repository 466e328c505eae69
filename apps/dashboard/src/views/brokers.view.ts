import { escapeHtml } from '../core/escape-html';
import { badge, formatValue } from '../core/health';
import type { Broker } from '../core/state-types';
import { badgeHtml, bodyOf, errorOf, section } from '../ui/html';
import type { ViewContext } from '../ui/view-context';

const brokerName = (l: Record<string, string>) => `broker ${l.broker ?? '?'}`;

/** Leader balance: one bar per broker, its share of leaders against the even share. */
function balanceHtml(brokers: Broker[]): string {
  const total = brokers.reduce((s, b) => s + (b.leaderPartitions ?? 0), 0);
  const max = Math.max(1, ...brokers.map((b) => b.replicaPartitions ?? 0));
  return brokers
    .map((b) => {
      const leaders = b.leaderPartitions ?? 0;
      const replicas = b.replicaPartitions ?? 0;
      return `<div class="bar-row"><span>broker ${escapeHtml(b.id)}</span>
        <span class="bar" title="${replicas} replicas, ${leaders} leaders"><span class="bar-fill replicas" style="width:${(100 * replicas) / max}%"></span><span class="bar-fill leaders" style="width:${(100 * leaders) / max}%"></span></span>
        <span>${leaders} leaders (${total ? Math.round((100 * leaders) / total) : 0} %) · ${replicas} replicas</span></div>`;
    })
    .join('');
}

export function brokersView(ctx: ViewContext): void {
  const state = section('Brokers', 'brokers');
  const balance = section('Partition and leader balance', 'balance');
  const charts = document.createElement('div');
  charts.className = 'chart-grid';
  ctx.root.append(state, charts, balance);
  ctx.every(
    2000,
    async () => {
      const brokers = await ctx.api.get<Broker[]>(`clusters/${encodeURIComponent(ctx.cluster)}/brokers`);
      bodyOf(state).innerHTML = `<div class="broker-row">${brokers
        .map((b) => {
          const status = b.up === false ? badge('crit', 'DOWN') : b.up ? badge('ok', 'UP') : badge('unknown', '?');
          return `<div class="broker ${status.level}" data-broker="${escapeHtml(b.id)}" data-up="${b.up}">
            <h3>broker ${escapeHtml(b.id)} ${b.controller ? '<span class="crown" title="controller">♛ controller</span>' : ''}</h3>${badgeHtml(status)}
            <div class="kv"><span>in</span><b>${formatValue(b.bytesInPerSecond, 'bytes')}/s</b></div>
            <div class="kv"><span>out</span><b>${formatValue(b.bytesOutPerSecond, 'bytes')}/s</b></div>
            <div class="kv"><span>handler idle</span><b>${formatValue(b.requestHandlerIdleRatio, 'ratio')}</b></div>
          </div>`;
        })
        .join('')}</div>`;
      bodyOf(balance).innerHTML = balanceHtml(brokers);
    },
    errorOf(state),
  );
  ctx.chart({ title: 'Bytes in per broker', metric: 'kafka_broker_bytes_in_per_second', seriesName: brokerName, unit: 'bytes' }, charts);
  ctx.chart({ title: 'Bytes out per broker', metric: 'kafka_broker_bytes_out_per_second', seriesName: brokerName, unit: 'bytes' }, charts);
  ctx.chart({ title: 'Messages in per broker', metric: 'kafka_broker_messages_in_per_second', seriesName: brokerName, unit: 'rate' }, charts);
  ctx.chart(
    { title: 'Produce request time p99', metric: 'kafka_broker_request_time_p99_seconds', labels: { request: 'Produce' }, seriesName: brokerName, unit: 'seconds' },
    charts,
  );
  ctx.chart({ title: 'Request handler idle', metric: 'kafka_broker_request_handler_idle_ratio', seriesName: brokerName, unit: 'ratio' }, charts);
  ctx.chart({ title: 'Network processor idle', metric: 'kafka_broker_network_processor_idle_ratio', seriesName: brokerName, unit: 'ratio' }, charts);
}
