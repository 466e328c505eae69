/**
 * Chart redraws share the animation frames: each frame runs queued redraws until its budget is
 * spent (at least one runs), and the rest wait for the next frame, so a burst of updates on many
 * charts never makes one long frame. A task queued twice before it runs runs once.
 */
export class FrameScheduler {
  private readonly queue = new Set<() => void>();
  private frame = 0;
  /** Work per frame (ms), for the benchmark. */
  readonly frameWorkMs: number[] = [];

  constructor(private readonly budgetMs = 8) {}

  request(task: () => void): void {
    this.queue.add(task);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.run());
  }

  cancel(task: () => void): void {
    this.queue.delete(task);
  }

  private run(): void {
    this.frame = 0;
    const started = performance.now();
    let ran = 0;
    for (const task of this.queue) {
      if (ran > 0 && performance.now() - started >= this.budgetMs) break;
      this.queue.delete(task);
      ran++;
      try {
        task();
      } catch (error) {
        // One chart failing must not stop the others; the page's error handler still hears of it.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
    this.frameWorkMs.push(performance.now() - started);
    if (this.frameWorkMs.length > 10_000) this.frameWorkMs.splice(0, 5_000);
    if (this.queue.size > 0) this.frame = requestAnimationFrame(() => this.run());
  }
}

/** The page's one scheduler. */
export const frames = new FrameScheduler();
