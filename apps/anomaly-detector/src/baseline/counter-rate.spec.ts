import { counterRate } from './counter-rate';

describe('counterRate', () => {
  it('gives no rate for the first reading', () => {
    expect(counterRate(undefined, 500, 1000)).toEqual({ rate: undefined, reading: { value: 500, at: 1000 } });
  });

  it('gives the per-second increase since the previous reading', () => {
    expect(counterRate({ value: 500, at: 1000 }, 1500, 11000)).toEqual({ rate: 100, reading: { value: 1500, at: 11000 } });
    expect(counterRate({ value: 500, at: 1000 }, 500, 3000).rate).toBe(0);
  });

  it('treats a decrease as a reset: no rate, and the new reading is the next base', () => {
    const step = counterRate({ value: 9000, at: 1000 }, 20, 2000);
    expect(step).toEqual({ rate: undefined, reading: { value: 20, at: 2000 } });
    expect(counterRate(step.reading, 40, 3000).rate).toBe(20);
  });
});
