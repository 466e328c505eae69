import { consumerGroupMetrics } from './catalogue';
import { CONSUMER_GROUP_STATE, CONSUMER_STATUS, CONSUMER_STATUS_CODE, consumerGroupStateCode } from './consumer-status';

describe('consumer status codes', () => {
  it('keeps the published numbering: 0 OK, 1 WARN, 2 ERR, 3 STOP, 4 STALL, 5 REWIND', () => {
    expect(CONSUMER_STATUS_CODE).toEqual({ OK: 0, WARN: 1, ERR: 2, STOP: 3, STALL: 4, REWIND: 5 });
    expect(CONSUMER_STATUS[CONSUMER_STATUS_CODE.STALL]).toBe('STALL');
  });

  it('documents every code in the help of the status metrics', () => {
    for (const metric of [consumerGroupMetrics.groupStatus, consumerGroupMetrics.partitionStatus]) {
      for (const [name, code] of Object.entries(CONSUMER_STATUS_CODE)) expect(metric.help).toContain(`${code} ${name}`);
    }
    CONSUMER_GROUP_STATE.forEach((state, code) => expect(consumerGroupMetrics.groupState.help).toContain(`${code} ${state}`));
  });

  it('maps group states to codes, and states it does not know to Unknown (0)', () => {
    expect(consumerGroupStateCode('Stable')).toBe(3);
    expect(consumerGroupStateCode('Empty')).toBe(5);
    expect(consumerGroupStateCode('Assigning')).toBe(0);
  });
});
