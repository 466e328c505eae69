import { defineMetric as m, MetricGroup } from './metric-definition';

/** The alerter reports on itself through the metrics topic, under collector "alerter" (docs/alerts.md). */
export const alerterMetrics = {
  rules: m({
    name: 'doflamingo_alerter_rules',
    type: 'gauge',
    unit: 'count',
    labels: ['instance'],
    help: 'Alert rules this alerter evaluates (built-in ones plus ALERT_RULES_FILE, minus disabled ones).',
    healthy: 'What you configured.',
  }),
  watchedSeries: m({
    name: 'doflamingo_alerter_watched_series',
    type: 'gauge',
    unit: 'count',
    labels: ['instance'],
    help: 'Series the rules are watching (series of the rules’ metrics reported in the last staleAfter).',
    healthy: 'Steady; 0 means no metrics reach the alerter.',
  }),
  openAlerts: m({
    name: 'doflamingo_alerter_open_alerts',
    type: 'gauge',
    unit: 'count',
    labels: ['instance'],
    help: 'Alerts pending or firing now.',
    healthy: '0.',
  }),
  eventsPublished: m({
    name: 'doflamingo_alerter_events_published_total',
    type: 'counter',
    unit: 'count',
    labels: ['instance'],
    help: 'Alert events (pending, firing, resolved) written to the alerts topic since the alerter started.',
    healthy: 'Rarely increasing.',
  }),
  eventsUnpublished: m({
    name: 'doflamingo_alerter_events_unpublished',
    type: 'gauge',
    unit: 'count',
    labels: ['instance'],
    help: 'Alert events waiting for Kafka (the alerts topic cannot be written to).',
    healthy: '0.',
  }),
  metricEventsSkipped: m({
    name: 'doflamingo_alerter_metric_events_skipped_total',
    type: 'counter',
    unit: 'count',
    labels: ['instance'],
    help: 'Metric events that broke the contract and were skipped (the processor dead-letters them).',
    healthy: '0.',
  }),
  webhookDelivered: m({
    name: 'doflamingo_alerter_webhook_delivered_total',
    type: 'counter',
    unit: 'count',
    labels: ['instance', 'webhook'],
    help: 'Alert events a webhook accepted (2xx).',
    healthy: 'Increasing with firing and resolved alerts.',
  }),
  webhookFailedAttempts: m({
    name: 'doflamingo_alerter_webhook_failed_attempts_total',
    type: 'counter',
    unit: 'count',
    labels: ['instance', 'webhook'],
    help: 'Deliveries that failed (HTTP error, timeout, refused) and were retried with backoff.',
    healthy: 'Not increasing.',
  }),
  webhookDropped: m({
    name: 'doflamingo_alerter_webhook_dropped_total',
    type: 'counter',
    unit: 'count',
    labels: ['instance', 'webhook'],
    help: 'Alert events a webhook never accepted within ALERT_WEBHOOK_GIVE_UP_MS: that receiver missed them.',
    healthy: '0.',
  }),
} as const;

export const alerterMetricGroup: MetricGroup = {
  collector: 'alerter',
  title: 'The alerter itself',
  metrics: Object.values(alerterMetrics),
};
