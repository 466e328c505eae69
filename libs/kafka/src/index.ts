export * from './create-kafka';
export * from './kafka-clients.service';
export * from './kafka-health.indicator';
export * from './kafka.module';
export * from './ensure-topic';
export * from './consume-topics';
export * from './topic-specs';
export * from './partition-of-key';
