/**
 * Messages-in rate per topic from the change of the sum of its partitions' log-end offsets between
 * two collections. A topic seen for the first time has no rate yet; a sum that went down (topic
 * deleted and re-created) restarts it.
 */
export class OffsetRates {
  private previous = new Map<string, { sum: number; at: number }>();

  update(endOffsetSums: Map<string, number>, at: number): Map<string, number> {
    const rates = new Map<string, number>();
    for (const [topic, sum] of endOffsetSums) {
      const before = this.previous.get(topic);
      if (before && at > before.at && sum >= before.sum) rates.set(topic, ((sum - before.sum) * 1000) / (at - before.at));
    }
    this.previous = new Map([...endOffsetSums].map(([topic, sum]) => [topic, { sum, at }]));
    return rates;
  }
}
