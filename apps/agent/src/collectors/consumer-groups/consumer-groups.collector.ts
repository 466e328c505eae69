import { Admin, GroupDescription } from 'kafkajs';
import { withTimeout } from '@doflamingo/runtime';
import { CollectedBatch, Collector, CollectorContext, CollectorFactory } from '../../collection/collector';
import { mapWithConcurrency } from '../../collection/map-with-concurrency';
import { ConsumerGroupEvaluator, GroupSnapshot, unreachableBatches } from './consumer-group-evaluator';
import { ConsumerHealth, ConsumerHealthOptions } from './consumer-health';
import { EndOffsetHistory } from './end-offset-history';
import { partitionOwnership } from './partition-ownership';

export interface ConsumerGroupsOptions extends ConsumerHealthOptions {
  /** Collections of log-end offsets kept per partition for lag in seconds. */
  endOffsetHistory: number;
  /** Groups whose offsets are fetched at once (one coordinator look-up and one OffsetFetch each). */
  groupConcurrency: number;
  /** Topics whose log-end offsets are fetched at once. */
  topicConcurrency: number;
  /** Group ids per describeGroups call. */
  describeChunk: number;
}

const DEFAULTS: Omit<ConsumerGroupsOptions, keyof ConsumerHealthOptions> = { endOffsetHistory: 30, groupConcurrency: 64, topicConcurrency: 32, describeChunk: 100 };

/**
 * Consumer groups through kafkajs admin: list, describe (state, members, assignments), committed
 * offsets per group, log-end offsets once per consumed topic; lag, lag in seconds and Burrow-style
 * health come from ConsumerGroupEvaluator. A group or topic that cannot be read is reported (and
 * its history kept), never allowed to fail the collection.
 */
export class ConsumerGroupsCollector implements Collector {
  readonly name = 'consumer-groups' as const;
  private readonly evaluator: ConsumerGroupEvaluator;
  private readonly options: Omit<ConsumerGroupsOptions, keyof ConsumerHealthOptions>;
  private lastGroupIds: string[] = [];

  constructor(
    private readonly context: CollectorContext,
    options: Partial<ConsumerGroupsOptions> = {},
  ) {
    const { windowSize, minStopMs, ...rest } = options;
    this.options = { ...DEFAULTS, ...stripUndefined(rest) };
    this.evaluator = new ConsumerGroupEvaluator(
      new ConsumerHealth(stripUndefined({ windowSize, minStopMs })),
      new EndOffsetHistory(this.options.endOffsetHistory),
    );
  }

  async collect(): Promise<CollectedBatch[]> {
    let admin: Admin;
    try {
      admin = await this.call(this.context.clients.connectedAdmin(), 'connect');
    } catch (error) {
      this.context.logger.debug({ err: (error as Error).message }, 'consumer groups unreadable');
      return unreachableBatches();
    }
    const [listed, topics] = await Promise.allSettled([this.call(admin.listGroups(), 'listGroups'), this.call(admin.listTopics(), 'listTopics')]);
    // kafkajs lists groups broker by broker and fails as a whole when one broker is restarting:
    // carry on with the groups of the last list rather than going blind on all of them.
    if (listed.status === 'fulfilled') this.lastGroupIds = [...new Set(listed.value.groups.map((g) => g.groupId))].sort();
    else if (this.lastGroupIds.length === 0) return unreachableBatches();
    const groupIds = this.lastGroupIds;
    const existingTopics = topics.status === 'fulfilled' ? new Set(topics.value) : undefined;

    const [descriptions, offsets] = await Promise.all([this.describe(admin, groupIds), this.committedOffsets(admin, groupIds)]);

    const consumed = new Set<string>();
    for (const groupOffsets of offsets.values()) for (const { topic } of groupOffsets) if (!existingTopics || existingTopics.has(topic)) consumed.add(topic);
    const endOffsets = new Map<string, number[]>();
    const unreadableTopics = new Set<string>();
    await mapWithConcurrency([...consumed], this.options.topicConcurrency, async (topic) => {
      const started = Date.now();
      const fetchEnds = async () => {
        const ends: number[] = [];
        for (const p of await this.call(admin.fetchTopicOffsets(topic), `fetchTopicOffsets ${topic}`)) ends[p.partition] = Number(p.high);
        endOffsets.set(topic, ends);
      };
      try {
        await fetchEnds();
      } catch {
        // A quick failure (a leader moving, stale metadata) usually passes on a second try; a timeout would not.
        const retried = Date.now() - started < this.context.callTimeoutMs / 2 ? await fetchEnds().then(() => true, () => false) : false;
        if (!retried) unreadableTopics.add(topic);
      }
    });

    const at = Date.now();
    const groups: GroupSnapshot[] = groupIds.map((groupId) => {
      const description = descriptions.get(groupId);
      if (!description) return { groupId, state: 'Unknown', ownership: () => false }; // without ownership its health cannot be judged
      return { groupId, state: description.state, members: description.members.length, ownership: partitionOwnership(description), offsets: offsets.get(groupId) };
    });
    return this.evaluator.evaluate({ at, listed: listed.status === 'fulfilled', groups, endOffsets, unreadableTopics });
  }

  async close(): Promise<void> {}

  /** Descriptions by group id; a chunk that fails leaves its groups out (reported as Unknown, health carried over). */
  private async describe(admin: Admin, groupIds: string[]): Promise<Map<string, GroupDescription>> {
    const chunks: string[][] = [];
    for (let i = 0; i < groupIds.length; i += this.options.describeChunk) chunks.push(groupIds.slice(i, i + this.options.describeChunk));
    const result = new Map<string, GroupDescription>();
    await mapWithConcurrency(chunks, 4, async (chunk) => {
      try {
        const { groups } = await this.call(admin.describeGroups(chunk), 'describeGroups');
        for (const group of groups) result.set(group.groupId, group);
      } catch (error) {
        this.context.logger.debug({ err: (error as Error).message, groups: chunk.length }, 'describeGroups failed');
      }
    });
    return result;
  }

  /** Committed offsets (all topics) by group id; a group whose coordinator does not answer is left out. */
  private async committedOffsets(admin: Admin, groupIds: string[]): Promise<Map<string, Awaited<ReturnType<Admin['fetchOffsets']>>>> {
    const result = new Map<string, Awaited<ReturnType<Admin['fetchOffsets']>>>();
    await mapWithConcurrency(groupIds, this.options.groupConcurrency, async (groupId) => {
      try {
        result.set(groupId, await this.call(admin.fetchOffsets({ groupId }), `fetchOffsets ${groupId}`));
      } catch (error) {
        this.context.logger.debug({ err: (error as Error).message, groupId }, 'fetchOffsets failed');
      }
    });
    return result;
  }

  private call<T>(promise: Promise<T>, what: string): Promise<T> {
    return withTimeout(promise, this.context.callTimeoutMs, `Kafka ${what} (${this.context.cluster.name})`);
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export const consumerGroupsCollector: CollectorFactory = (context) => new ConsumerGroupsCollector(context);
