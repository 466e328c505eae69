import { Benchmark } from './harness';

/** Filled in with the consumer-groups collector: one collection of 10,000 partitions and 1,000 groups. */
export const agentCollectionBenchmark: Benchmark = {
  name: 'agent-collection',
  description: 'One collection of a cluster with 10,000 partitions and 1,000 consumer groups.',
  async run() {
    throw new Error('not written yet');
  },
};
