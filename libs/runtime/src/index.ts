export * from './bootstrap';
export * from './health.controller';
export * from './retry';
export * from './with-timeout';
