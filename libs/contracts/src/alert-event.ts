import { z } from 'zod';

/**
 * One change in an alert's life, published on the alerts topic (key: the alert id). The gateway
 * forwards these to the WebSocket `alerts` channel and STOMP `/topic/alarm`.
 */
export const ALERT_EVENT_SCHEMA_VERSION = 1;
export const ALERT_STATES = ['pending', 'firing', 'resolved'] as const;
export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;

export const alertEventSchema = z.object({
  schemaVersion: z.literal(ALERT_EVENT_SCHEMA_VERSION),
  /** Stable per rule and labels: the same alert keeps its id from pending to resolved. */
  id: z.string().min(1).max(512),
  rule: z.string().min(1).max(256),
  state: z.enum(ALERT_STATES),
  severity: z.enum(ALERT_SEVERITIES),
  cluster: z.string().min(1).max(256),
  labels: z.record(z.string(), z.string()),
  message: z.string().max(4096),
  /** The value that triggered (or resolved) it, when there is one. */
  value: z.number().nullable(),
  /** When it became pending, and when this event was emitted (ms since the epoch). */
  startsAt: z.number().int(),
  at: z.number().int(),
  /** When it started firing; null while pending and on a resolution of an alert that never fired. */
  firedAt: z.number().int().nullable().optional(),
});

export type AlertEvent = z.infer<typeof alertEventSchema>;
