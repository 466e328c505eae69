export * from './topics';
export * from './metric-event';
export * from './catalogue';
export * from './consumer-status';
export * from './rollup-event';
export * from './alert-event';
export * from './anomaly-event';
export * from './websocket-protocol';
