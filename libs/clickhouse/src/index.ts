export * from './clickhouse.module';
export * from './migration';
export * from './migration-runner';
export * from './migrations';
export * from './retention';
export * from './sql';
