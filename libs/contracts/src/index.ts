export * from './topics';
export * from './metric-event';
