export * from './app-config';
export * from './config-error';
export * from './config.module';
export * from './env-readers';
export * from './log-dirs';
export * from './monitored-clusters';
