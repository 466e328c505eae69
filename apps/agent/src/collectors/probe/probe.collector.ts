import { CollectorFactory } from '../../collection/collector';

/** Placeholder until the collector lands: applies to no cluster. */
export const probeCollector: CollectorFactory = () => undefined;
