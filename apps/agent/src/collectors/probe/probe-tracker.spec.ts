import { ProbeTracker } from './probe-tracker';

describe('ProbeTracker', () => {
  it('measures produce and round-trip latency per partition', () => {
    const sut = new ProbeTracker(30000);
    const seq = sut.sequence();
    sut.sending(0, 1, seq, 1000);
    sut.acknowledged(0, 1, seq, 1000, 1012);
    sut.received(seq, 1050);
    expect(sut.snapshot(2000).get(0)).toMatchObject({ broker: 1, sent: 1, received: 1, lost: 0, lastProduceLatencyMs: 12, lastRoundTripMs: 50, lastProduceOk: true });
  });

  it('counts an acknowledged message that never comes back as lost, once, after the deadline', () => {
    const sut = new ProbeTracker(30000);
    const seq = sut.sequence();
    sut.sending(2, 3, seq, 0);
    sut.acknowledged(2, 3, seq, 0, 5);
    expect(sut.snapshot(29000).get(2)!.lost).toBe(0);
    expect(sut.snapshot(31000).get(2)!.lost).toBe(1);
    expect(sut.snapshot(60000).get(2)!.lost).toBe(1);
  });

  it('ignores duplicates and messages from another agent', () => {
    const sut = new ProbeTracker(30000);
    const seq = sut.sequence();
    sut.sending(0, 1, seq, 0);
    sut.acknowledged(0, 1, seq, 0, 1);
    sut.received(seq, 10);
    sut.received(seq, 20);
    sut.received(999, 20);
    expect(sut.snapshot(100).get(0)!.received).toBe(1);
  });

  it('records failed sends without counting them as sent', () => {
    const sut = new ProbeTracker(30000);
    const seq = sut.sequence();
    sut.sending(1, 2, seq, 0);
    sut.failed(1, 2, seq);
    expect(sut.snapshot(60000).get(1)).toMatchObject({ sent: 0, produceErrors: 1, lastProduceOk: false, lost: 0 });
  });

  it('counts a message that comes back before its acknowledgement is processed as received, not lost', () => {
    const sut = new ProbeTracker(30000);
    const seq = sut.sequence();
    sut.sending(0, 1, seq, 0);
    sut.received(seq, 3);
    sut.acknowledged(0, 1, seq, 0, 5);
    expect(sut.snapshot(60000).get(0)).toMatchObject({ sent: 1, received: 1, lost: 0, lastRoundTripMs: 3 });
  });
});
