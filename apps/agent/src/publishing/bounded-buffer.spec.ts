import { BoundedBuffer, PendingMessage } from './bounded-buffer';

const message = (key: string, bytes: number): PendingMessage => ({ key, value: Buffer.alloc(bytes - key.length) });

describe('BoundedBuffer', () => {
  it('keeps messages in order until they are confirmed published', () => {
    const sut = new BoundedBuffer(1000);
    const [a, b, c] = [message('a', 10), message('b', 10), message('c', 10)];
    [a, b, c].forEach((m) => sut.push(m));
    expect(sut.peek(2, 1000)).toEqual([a, b]);
    expect(sut.length).toBe(3);
    sut.remove([a, b]);
    expect(sut.peek(10, 1000)).toEqual([c]);
    expect(sut.bytes).toBe(10);
  });

  it('drops the oldest messages past the byte cap and counts them', () => {
    const sut = new BoundedBuffer(25);
    const all = ['a', 'b', 'c', 'd'].map((k) => message(k, 10));
    all.forEach((m) => sut.push(m));
    expect(sut.peek(10, 1000)).toEqual(all.slice(2));
    expect(sut.dropped).toBe(2);
    expect(sut.bytes).toBe(20);
  });

  it('limits a peek by bytes but always returns at least one message', () => {
    const sut = new BoundedBuffer(10_000);
    const big = message('big', 500);
    sut.push(big);
    sut.push(message('small', 10));
    expect(sut.peek(10, 100)).toEqual([big]);
  });

  it('does not remove a message that was dropped while it was being published', () => {
    const sut = new BoundedBuffer(20);
    const a = message('a', 10);
    sut.push(a);
    const inFlight = sut.peek(1, 100);
    sut.push(message('b', 10));
    sut.push(message('c', 10)); // drops a
    sut.remove(inFlight);
    expect(sut.length).toBe(2);
    expect(sut.dropped).toBe(1);
  });

  it('stays correct across many pushes and removals', () => {
    const sut = new BoundedBuffer(1e9);
    for (let i = 0; i < 5000; i++) sut.push(message(`k${i}`, 20));
    for (let i = 0; i < 4999; i++) sut.remove(sut.peek(1, 1e9));
    expect(sut.length).toBe(1);
    expect(sut.peek(1, 1e9)[0].key).toBe('k4999');
    expect(sut.bytes).toBe(20);
  });
});
