import type { LoggerOptions } from 'pino';
import { AppConfig } from '@doflamingo/config';

/** Paths that may hold credentials; pino replaces their values before anything is written. */
export const REDACTED_PATHS = [
  'password',
  '*.password',
  'sasl.password',
  '*.sasl.password',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
];

export function pinoOptions(config: Pick<AppConfig, 'app' | 'instanceId' | 'logLevel'>): LoggerOptions {
  return {
    level: config.logLevel,
    base: { app: config.app, instance: config.instanceId },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
}
