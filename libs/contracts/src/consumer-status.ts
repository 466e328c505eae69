/**
 * Consumer health as the agent reports it (kafka_consumer_group_status,
 * kafka_consumer_group_partition_status): the metric value is the index in CONSUMER_STATUS, so a
 * dashboard maps a number back with `CONSUMER_STATUS[value]`. Codes are part of the metric
 * contract: new statuses are appended, never re-numbered.
 */
export const CONSUMER_STATUS = ['OK', 'WARN', 'ERR', 'STOP', 'STALL', 'REWIND'] as const;
export type ConsumerStatus = (typeof CONSUMER_STATUS)[number];

export const CONSUMER_STATUS_CODE = Object.fromEntries(CONSUMER_STATUS.map((name, code) => [name, code])) as Record<ConsumerStatus, number>;

/** What each status means, for help texts and UIs. */
export const CONSUMER_STATUS_MEANING: Record<ConsumerStatus, string> = {
  OK: 'keeping up, caught up (idle included), or nothing committed yet',
  WARN: 'lag grew or held at every commit across the whole window: the consumer is too slow',
  ERR: 'group only: at least one partition is STOP, STALL or REWIND',
  STOP: 'lag > 0 and no commit for longer than the window spans: the consumer is gone',
  STALL: 'a live consumer owns the partition but its offset has not moved across the window while lag > 0',
  REWIND: 'the committed offset went backwards within the window (reset or reprocessing)',
};

/**
 * Kafka consumer group states (describeGroups), encoded in kafka_consumer_group_state as the index
 * in this list.
 */
export const CONSUMER_GROUP_STATE = ['Unknown', 'PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead', 'Empty'] as const;
export type ConsumerGroupState = (typeof CONSUMER_GROUP_STATE)[number];

/** The code of a group state; anything Kafka adds later that we do not know is Unknown (0). */
export function consumerGroupStateCode(state: string): number {
  return Math.max(0, (CONSUMER_GROUP_STATE as readonly string[]).indexOf(state));
}

/** "0 OK, 1 WARN, …": a mapping rendered for help texts. */
export function codeList(names: readonly string[]): string {
  return names.map((name, code) => `${code} ${name}`).join(', ');
}
