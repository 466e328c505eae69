import { committableOffset, PendingWrites } from './partition-progress';

describe('committableOffset', () => {
  it('is the next offset when nothing holds it back', () => {
    expect(committableOffset(120, undefined, undefined)).toBe(120);
  });

  it('stops at the earliest open window or pending write', () => {
    expect(committableOffset(120, 80, undefined)).toBe(80);
    expect(committableOffset(120, 80, 50)).toBe(50);
  });

  it('commits nothing before anything was processed', () => {
    expect(committableOffset(undefined, 10)).toBeUndefined();
  });
});

describe('PendingWrites', () => {
  it('holds the earliest offset of the writes still in flight, per partition', () => {
    const sut = new PendingWrites();
    const a = sut.add(0, 40);
    const b = sut.add(0, 10);
    sut.add(1, 5);
    expect(sut.lowest(0)).toBe(10);
    sut.done(0, b);
    expect(sut.lowest(0)).toBe(40);
    sut.done(0, a);
    expect(sut.lowest(0)).toBeUndefined();
    expect(sut.lowest(1)).toBe(5);
  });
});
