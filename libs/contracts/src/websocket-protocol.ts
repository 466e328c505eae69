import { z } from 'zod';
import { rollupEventSchema } from './rollup-event';
import { alertEventSchema } from './alert-event';
import { anomalyEventSchema } from './anomaly-event';

/**
 * WebSocket protocol v1 between the gateway and its clients (the dashboard, Flamingo, scripts).
 * docs/websocket.md describes it for people; these types and schemas are the reference.
 * JSON frames, one per WebSocket message, on subprotocol `doflamingo.v1.json` (also the default
 * when a client asks for no subprotocol). STOMP 1.2 is served on the same endpoint (`v12.stomp`).
 */
export const WS_PROTOCOL_VERSION = 1;
export const WS_JSON_SUBPROTOCOL = 'doflamingo.v1.json';
export const WS_STOMP_SUBPROTOCOLS = ['v12.stomp', 'v11.stomp', 'v10.stomp'] as const;
export const WS_PATH = '/ws';

/** A glob (`*`, `?`, `[abc]`, `{a,b}`) matched against the whole value. */
const pattern = z.string().min(1).max(256);

export const CHANNELS = ['metrics', 'rollups', 'alerts', 'anomalies'] as const;
export type Channel = (typeof CHANNELS)[number];

/** What a subscription selects. Every given field must match; a missing one matches everything. */
export const seriesFilterSchema = z.object({
  cluster: pattern.optional(),
  metric: pattern.optional(),
  /** Label name → glob. A series without that label does not match. */
  labels: z.record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'label names look like Prometheus label names'), pattern).optional(),
});
export type SeriesFilter = z.infer<typeof seriesFilterSchema>;

const subscriptionId = z.string().min(1).max(64);

export const subscribeFrameSchema = z
  .object({
    op: z.literal('subscribe'),
    id: subscriptionId,
    channel: z.enum(CHANNELS),
    /** Rollups only: which window size (default both). */
    resolution: z.enum(['10s', '1m']).optional(),
  })
  .extend(seriesFilterSchema.shape)
  .strict();

export const unsubscribeFrameSchema = z.object({ op: z.literal('unsubscribe'), id: subscriptionId }).strict();
export const pingFrameSchema = z.object({ op: z.literal('ping'), nonce: z.string().max(64).optional() }).strict();

export const clientFrameSchema = z.discriminatedUnion('op', [subscribeFrameSchema, unsubscribeFrameSchema, pingFrameSchema]);
export type SubscribeFrame = z.infer<typeof subscribeFrameSchema>;
export type ClientFrame = z.infer<typeof clientFrameSchema>;
export const CLIENT_OPS = ['subscribe', 'unsubscribe', 'ping'] as const;

/** The latest value of one series, as the gateway sends it. `ts` is the sample's event time (ms). */
export interface LiveSample {
  cluster: string;
  metric: string;
  labels: Record<string, string>;
  value: number;
  ts: number;
}

export const ERROR_CODES = [
  'bad_json',
  'bad_frame',
  'unknown_op',
  'bad_pattern',
  'too_many_subscriptions',
  'frame_too_large',
  'duplicate_subscription',
  'unknown_subscription',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type ServerFrame =
  | { type: 'welcome'; protocol: typeof WS_PROTOCOL_VERSION; heartbeatMs: number; limits: { maxSubscriptions: number; maxFrameBytes: number } }
  | { type: 'subscribed'; id: string; channel: Channel }
  /** Sent once after `subscribed`: the latest value of every matching series (or the recent alerts). */
  | { type: 'snapshot'; id: string; samples: LiveSample[] }
  /** New values since the last update, at most one per series (coalesced per client tick). */
  | { type: 'update'; id: string; samples: LiveSample[] }
  | { type: 'rollup'; id: string; windows: z.infer<typeof rollupEventSchema>[] }
  | { type: 'alerts'; id: string; alerts: z.infer<typeof alertEventSchema>[] }
  /** Anomalies from the anomaly detector: first the recent ones (the channel's snapshot), then each new one. */
  | { type: 'anomalies'; id: string; anomalies: z.infer<typeof anomalyEventSchema>[] }
  | { type: 'unsubscribed'; id: string }
  | { type: 'pong'; nonce?: string }
  | { type: 'heartbeat'; ts: number }
  /** A request that could not be served; the connection stays open. `id` is the subscription, when known. */
  | { type: 'error'; code: ErrorCode; message: string; id?: string };

/** WebSocket close codes the gateway uses (4000–4999 are application codes). */
export const CLOSE_CODES = {
  /** The client did not read fast enough: its send buffer stayed over the cap past the grace period. */
  tooSlow: 4008,
  /** Missing or wrong token (when the upgrade itself could not be refused). */
  unauthorized: 4001,
  /** The gateway is shutting down; reconnect (to another instance). */
  goingAway: 1001,
} as const;
