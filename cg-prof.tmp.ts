import { collectorContext, allSamples } from './test/support/collector-harness';
import { ConsumerGroupsCollector } from './apps/agent/src/collectors/consumer-groups/consumer-groups.collector';
(async () => {
  const ctx = collectorContext();
  const opts = JSON.parse(process.argv[2] ?? '{}');
  const sut = new ConsumerGroupsCollector(ctx, opts);
  const admin = await ctx.clients.connectedAdmin();
  // phase timing by wrapping admin methods
  const spent: Record<string, number> = {};
  for (const m of ['listGroups', 'listTopics', 'describeGroups', 'fetchOffsets', 'fetchTopicOffsets'] as const) {
    const orig = (admin as any)[m].bind(admin);
    (admin as any)[m] = async (...a: unknown[]) => { const t = Date.now(); try { return await orig(...a); } finally { spent[m] = (spent[m] ?? 0) + Date.now() - t; spent[m + '#'] = (spent[m + '#'] ?? 0) + 1; } };
  }
  for (let i = 0; i < 4; i++) {
    for (const k of Object.keys(spent)) delete spent[k];
    const t = Date.now();
    const s = allSamples(await sut.collect(new AbortController().signal));
    console.log(`collection ${i}: ${Date.now() - t} ms, ${s.length} samples, groups=${s.find((x) => x.metric === 'kafka_consumer_groups')?.value} unreadable=${s.find((x) => x.metric === 'kafka_consumer_groups_unreadable')?.value}`, JSON.stringify(spent));
  }
  await ctx.close();
})();
