export * from './doflamingo-client';
export * from './subscription';
export * from './client-error';
export { seriesKey } from './live-series-store';
export type { SeriesIdentity, StoreChange } from './live-series-store';
export { reconnectDelay, DEFAULT_RECONNECT } from './backoff';
export type { ReconnectOptions } from './backoff';
