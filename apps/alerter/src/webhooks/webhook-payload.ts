import { AlertEvent } from '@doflamingo/contracts';
import { WebhookTarget } from '@doflamingo/config';

/** Which events reach webhooks: an alert firing, and its resolution. Pending ones, and a pending one that cleared without firing, stay quiet. */
export function notifies(event: AlertEvent): boolean {
  return event.state === 'firing' || (event.state === 'resolved' && event.firedAt != null);
}

/** The same key for every delivery of one event, so a receiver can drop a repeat (after an alerter restart). */
export function idempotencyKey(event: AlertEvent): string {
  return `${event.id}@${event.state}@${event.at}`;
}

const STATE_MARK: Record<AlertEvent['state'], string> = { pending: ':large_yellow_circle:', firing: ':red_circle:', resolved: ':large_green_circle:' };

/** `json`: the alert event itself (docs/alerts.md). `slack`: a Slack-compatible incoming-webhook message. */
export function webhookBody(event: AlertEvent, format: WebhookTarget['format']): unknown {
  if (format === 'json') return event;
  const labels = Object.entries(event.labels)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
  const title = `${STATE_MARK[event.state]} *${event.state.toUpperCase()}* [${event.severity}] ${event.rule} on ${event.cluster}${labels ? ` (${labels})` : ''}`;
  return { text: `${title}\n${event.message}` };
}

export type DeliveryOutcome = { delivered: true } | { delivered: false; retry: boolean; error: string };

/**
 * 2xx: delivered. 5xx, 408 (timeout), 425 and 429 (too many requests): the receiver may take it
 * later, so retry. Any other 4xx will not change by asking again (a wrong URL, a refused payload).
 */
export function deliveryOutcome(status: number): DeliveryOutcome {
  if (status >= 200 && status < 300) return { delivered: true };
  const retry = status >= 500 || status === 408 || status === 425 || status === 429 || status < 400;
  return { delivered: false, retry, error: `HTTP ${status}` };
}
