import { defineMetric, MetricGroup } from './metric-definition';

const m = defineMetric;

/** A message produced to every broker and read back, as a client would: KMinion-style end-to-end checks. */
export const probeMetrics = {
  produceLatency: m({ name: 'kafka_probe_produce_latency_seconds', type: 'gauge', unit: 'seconds', labels: ['partition', 'broker'], help: 'Time for the last probe message to this partition to be acknowledged by all in-sync replicas (acks=all).', healthy: 'Tens of milliseconds; a slow or hung leader shows here first.' }),
  roundTripLatency: m({ name: 'kafka_probe_roundtrip_latency_seconds', type: 'gauge', unit: 'seconds', labels: ['partition', 'broker'], help: 'From sending the last received probe message to consuming it back.', healthy: 'Well under a second.' }),
  produceSuccess: m({ name: 'kafka_probe_produce_success', type: 'gauge', unit: 'boolean', labels: ['partition', 'broker'], help: '1 when the last probe message to this partition was acknowledged in time, 0 when it failed or timed out.', healthy: '1.' }),
  sent: m({ name: 'kafka_probe_messages_sent_total', type: 'counter', unit: 'count', labels: ['partition', 'broker'], help: 'Probe messages acknowledged by the cluster since the agent started.', healthy: 'Rising once per probe interval.' }),
  received: m({ name: 'kafka_probe_messages_received_total', type: 'counter', unit: 'count', labels: ['partition', 'broker'], help: 'Probe messages consumed back.', healthy: 'Follows kafka_probe_messages_sent_total.' }),
  lost: m({ name: 'kafka_probe_messages_lost_total', type: 'counter', unit: 'count', labels: ['partition', 'broker'], help: 'Acknowledged probe messages not consumed back within three probe intervals.', healthy: '0.' }),
  produceErrors: m({ name: 'kafka_probe_produce_errors_total', type: 'counter', unit: 'count', labels: ['partition', 'broker'], help: 'Probe sends that failed or timed out.', healthy: 'Not increasing.' }),
  consumerReady: m({ name: 'kafka_probe_consumer_ready', type: 'gauge', unit: 'boolean', labels: [], help: '1 once the probe consumer has joined its group and probing runs.', healthy: '1.' }),
} as const;

export const probeMetricGroup: MetricGroup = {
  collector: 'probe',
  title: 'End-to-end probe through Kafka',
  metrics: Object.values(probeMetrics),
};
