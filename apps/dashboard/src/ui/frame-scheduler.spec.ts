import { FrameScheduler } from './frame-scheduler';

describe('FrameScheduler', () => {
  const callbacks: (() => void)[] = [];
  let now = 0;
  const nextFrame = () => callbacks.shift()!();

  beforeEach(() => {
    callbacks.length = 0;
    now = 0;
    (globalThis as unknown as { requestAnimationFrame: (cb: () => void) => number }).requestAnimationFrame = (cb) => callbacks.push(cb);
    jest.spyOn(performance, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  it('runs queued tasks until the frame budget is spent and the rest in the next frame, each task once', () => {
    const sut = new FrameScheduler(8);
    const ran: string[] = [];
    const task = (name: string) => () => {
      ran.push(name);
      now += 5; // each redraw takes 5 ms
    };
    const [a, b, c] = [task('a'), task('b'), task('c')];
    sut.request(a);
    sut.request(b);
    sut.request(a); // already queued
    sut.request(c);
    expect(callbacks).toHaveLength(1);
    nextFrame();
    expect(ran).toEqual(['a', 'b']); // 10 ms: over the budget after b
    expect(callbacks).toHaveLength(1);
    nextFrame();
    expect(ran).toEqual(['a', 'b', 'c']);
    expect(callbacks).toHaveLength(0);
    expect(sut.frameWorkMs).toEqual([10, 5]);
  });

  it('always runs one task per frame, however long it takes, and skips cancelled ones', () => {
    const sut = new FrameScheduler(8);
    const ran: string[] = [];
    const slow = () => {
      ran.push('slow');
      now += 30;
    };
    const gone = () => ran.push('gone');
    sut.request(slow);
    sut.request(gone);
    sut.cancel(gone);
    nextFrame();
    expect(ran).toEqual(['slow']);
    expect(callbacks).toHaveLength(0);
  });
});
