import { AlertEvent } from '@doflamingo/contracts';
import { deliveryOutcome, idempotencyKey, notifies, webhookBody } from './webhook-payload';

const event = (overrides: Partial<AlertEvent> = {}): AlertEvent => ({
  schemaVersion: 1,
  id: 'kafka-broker-down/prod/broker=2',
  rule: 'kafka-broker-down',
  state: 'firing',
  severity: 'critical',
  cluster: 'prod',
  labels: { broker: '2' },
  message: 'Kafka broker 2 of prod has left the cluster metadata',
  value: 0,
  startsAt: 1000,
  at: 2000,
  firedAt: 2000,
  ...overrides,
});

describe('webhook payloads', () => {
  it('notify firing alerts and the resolution of fired ones, not pendings or pendings that cleared', () => {
    expect([event(), event({ state: 'resolved' }), event({ state: 'pending', firedAt: null }), event({ state: 'resolved', firedAt: null })].map(notifies)).toEqual([true, true, false, false]);
  });

  it('send the event itself as JSON, or a Slack message with state, severity, rule, labels and message', () => {
    expect(webhookBody(event(), 'json')).toEqual(event());
    expect(webhookBody(event({ state: 'resolved' }), 'slack')).toEqual({
      text: ':large_green_circle: *RESOLVED* [critical] kafka-broker-down on prod (broker=2)\nKafka broker 2 of prod has left the cluster metadata',
    });
    expect(idempotencyKey(event())).toBe('kafka-broker-down/prod/broker=2@firing@2000');
  });

  it.each([
    [200, { delivered: true }],
    [204, { delivered: true }],
    [500, { delivered: false, retry: true, error: 'HTTP 500' }],
    [503, { delivered: false, retry: true, error: 'HTTP 503' }],
    [429, { delivered: false, retry: true, error: 'HTTP 429' }],
    [408, { delivered: false, retry: true, error: 'HTTP 408' }],
    [404, { delivered: false, retry: false, error: 'HTTP 404' }],
    [400, { delivered: false, retry: false, error: 'HTTP 400' }],
  ])('HTTP %i means %j', (status, outcome) => {
    expect(deliveryOutcome(status)).toEqual(outcome);
  });
});
