import { CONSUMER_STATUS, CONSUMER_STATUS_CODE } from '@doflamingo/contracts';
import { CommitWindow } from './commit-window';
import { ConsumerHealth, ConsumerHealthOptions, evaluatePartition, PartitionObservation, worseGroupStatus } from './consumer-health';

const { OK, WARN, ERR, STOP, STALL, REWIND } = CONSUMER_STATUS_CODE;
const SECOND = 1000;

/** One collection of one partition: at `t` seconds, the group has committed `offset` and the log ends at `end`. */
interface Step {
  t: number;
  offset: number;
  end: number;
  owned?: boolean;
}

function createSut(options: Partial<ConsumerHealthOptions> = {}) {
  return new ConsumerHealth({ windowSize: 5, minStopMs: 30 * SECOND, ...options });
}

/** Runs the steps as collections and returns the status name after each. */
function statuses(sut: ConsumerHealth, steps: Step[], group = 'g'): string[] {
  return steps.map(({ t, offset, end, owned = true }) => {
    sut.beginCollection();
    const observation: PartitionObservation = { committedOffset: offset, lag: Math.max(0, end - offset), owned };
    const status = sut.observe(group, 't', 0, observation, t * SECOND);
    sut.endCollection();
    return CONSUMER_STATUS[status];
  });
}

/** Collections every `every` seconds from `from`, offset and end given as functions of the index. */
function steps(count: number, offset: (i: number) => number, end: (i: number) => number, { from = 0, every = 10, owned = true } = {}): Step[] {
  return Array.from({ length: count }, (_, i) => ({ t: from + i * every, offset: offset(i), end: end(i), owned }));
}

describe('ConsumerHealth', () => {
  it('calls a consumer that keeps up OK, small lag and all', () => {
    const sut = createSut();
    const lags = [3, 0, 7, 2, 5, 1, 4, 6, 2, 3, 8, 1];
    expect(statuses(sut, steps(lags.length, (i) => i * 100, (i) => i * 100 + lags[i]))).toEqual(lags.map(() => 'OK'));
  });

  it('calls a consumer caught up on an idle topic OK, whether or not it is still running', () => {
    expect(statuses(createSut(), steps(20, () => 500, () => 500, { owned: true }))).toEqual(Array(20).fill('OK'));
    // Its consumer gone (no member): nothing arrives, nothing to commit. Burrow-style STOP here is a false alarm.
    expect(statuses(createSut(), steps(20, () => 500, () => 500, { owned: false }))).toEqual(Array(20).fill('OK'));
  });

  it('warns about a consumer whose lag grows at every commit, once the window is full', () => {
    const sut = createSut();
    const result = statuses(sut, steps(8, (i) => i * 10, (i) => i * 200 + 50));
    expect(result).toEqual(['OK', 'OK', 'OK', 'OK', 'WARN', 'WARN', 'WARN', 'WARN']);
  });

  it('keeps OK while a lagging consumer catches up at least once in the window', () => {
    const lags = [100, 150, 200, 180, 250, 300, 350, 400];
    const result = statuses(createSut(), steps(lags.length, (i) => i * 1000, (i) => i * 1000 + lags[i]));
    // Lag fell at the 4th commit; WARN only when the window (5) no longer holds that fall.
    expect(result).toEqual(['OK', 'OK', 'OK', 'OK', 'OK', 'OK', 'OK', 'WARN']);
  });

  it('treats a lag that holds steady (never decreasing) over the full window as WARN, like Burrow', () => {
    expect(statuses(createSut(), steps(6, (i) => i * 10, (i) => i * 10 + 40)).at(-1)).toBe('WARN');
  });

  it('calls a running consumer whose offset does not move while lag > 0 STALL, once the window is full', () => {
    const result = statuses(createSut(), steps(7, () => 1000, (i) => 1000 + 10 * (i + 1)));
    expect(result).toEqual(['OK', 'OK', 'OK', 'OK', 'STALL', 'STALL', 'STALL']);
  });

  it('calls a consumer that stopped committing with lag STOP after the window span and the minimum have passed', () => {
    const sut = createSut();
    // Committing every 10 s for 60 s (the window spans 40 s), then gone while messages keep arriving.
    const running = steps(7, (i) => i * 100, (i) => i * 100 + 20 + (i % 2) * 5);
    const gone = steps(8, () => 600, (i) => 700 + i * 100, { from: 70, owned: false });
    const result = statuses(sut, [...running, ...gone]);
    // Last commit at t=60; STOP once more than 40 s (span) and 30 s (minimum) have passed: t=110.
    expect(result.slice(0, 7)).toEqual(Array(7).fill('OK'));
    expect(gone.map((s) => s.t)).toEqual([70, 80, 90, 100, 110, 120, 130, 140]);
    expect(result.slice(7)).toEqual(['OK', 'OK', 'OK', 'OK', 'STOP', 'STOP', 'STOP', 'STOP']);
  });

  it('does not call a new group STOP from one point: the minimum applies', () => {
    // First seen with no member and lag: one commit observation, window span 0.
    const result = statuses(createSut(), steps(5, () => 100, (i) => 200 + i, { owned: false }));
    expect(result).toEqual(['OK', 'OK', 'OK', 'OK', 'STOP']); // t = 0…40; STOP once more than 30 s passed
  });

  it('calls a consumer that died caught up STOP once messages arrive and stay unconsumed (Burrow would stay OK)', () => {
    const caughtUp = steps(3, () => 100, () => 100);
    const dead = steps(6, () => 100, (i) => 101 + i, { from: 30, owned: false });
    const result = statuses(createSut(), [...caughtUp, ...dead]);
    // Lag > 0 from t=30; STOP needs 30 s of lag and 30 s since the last commit (t=20): t=60.
    expect(result).toEqual(['OK', 'OK', 'OK', 'OK', 'OK', 'OK', 'STOP', 'STOP', 'STOP']);
  });

  it('does not flag one message caught just before a quiet consumer committed it', () => {
    // A consumer without group membership (manual assignment) on a quiet topic: commits only when something arrives.
    const quiet: Step[] = [
      { t: 0, offset: 10, end: 10, owned: false },
      { t: 600, offset: 10, end: 11, owned: false }, // a message arrived a moment ago
      { t: 610, offset: 11, end: 11, owned: false },
    ];
    expect(statuses(createSut(), quiet)).toEqual(['OK', 'OK', 'OK']);
  });

  it('calls an offset that went backwards REWIND while the rewind is in the window, even right after being caught up', () => {
    const sut = createSut();
    const before = steps(3, (i) => 1000 + i * 10, (i) => 1000 + i * 10);
    const after = steps(7, (i) => 200 + i * 10, (i) => 1040 + i * 10, { from: 30 });
    const result = statuses(sut, [...before, ...after]);
    expect(result.slice(3, 7)).toEqual(['REWIND', 'REWIND', 'REWIND', 'REWIND']);
    expect(result.at(-1)).toBe('WARN'); // the rewind left the window; the lag never fell since
  });

  it('does not call a re-created topic (offset and log both back to the start) a rewind', () => {
    expect(statuses(createSut(), [{ t: 0, offset: 900, end: 900 }, { t: 10, offset: 0, end: 0 }, { t: 20, offset: 3, end: 3 }])).toEqual(['OK', 'OK', 'OK']);
  });

  it('reports the lag trend in messages per second over the window', () => {
    const sut = createSut();
    let trend = 0;
    for (const step of steps(5, (i) => i * 10, (i) => i * 10 + 100 + 50 * i)) {
      sut.beginCollection();
      sut.observe('g', 't', 0, { committedOffset: step.offset, lag: step.end - step.offset, owned: true }, step.t * SECOND);
      trend = sut.lastTrend;
      sut.endCollection();
    }
    expect(trend).toBeCloseTo(5); // lag 100 → 300 over 40 s
  });

  it('forgets groups and partitions that disappear, so churn does not grow memory', () => {
    const sut = createSut();
    for (let i = 0; i < 1000; i++) {
      sut.beginCollection();
      sut.observe(`group-${i}`, 'a', 0, { committedOffset: i, lag: 1, owned: true }, i * SECOND);
      sut.observe('steady', `t-${i % 3}`, i % 2, { committedOffset: i, lag: 0, owned: true }, i * SECOND);
      sut.endCollection();
    }
    expect(sut.size).toEqual({ groups: 2, partitions: 2 });
  });

  it('keeps the windows of a group it could not read, and of a partition it could not evaluate', () => {
    const sut = createSut();
    const observe = (t: number) => sut.observe('g', 't', 3, { committedOffset: 5, lag: 10, owned: true }, t * SECOND);
    for (let t = 0; t < 50; t += 10) {
      sut.beginCollection();
      observe(t);
      sut.endCollection();
    }
    sut.beginCollection();
    sut.retain('g');
    sut.endCollection();
    sut.beginCollection();
    sut.touch('g', 't', 3);
    sut.endCollection();
    expect(sut.size).toEqual({ groups: 1, partitions: 1 });
    sut.beginCollection();
    expect(CONSUMER_STATUS[observe(70)]).toBe('STALL'); // the history survived
    sut.endCollection();
    sut.beginCollection();
    sut.endCollection();
    expect(sut.size).toEqual({ groups: 0, partitions: 0 });
  });

  it('keeps every partition in its own window, whatever order partitions first appear in', () => {
    const sut = createSut();
    const order = [7, 3, 0, 12, 1, 2, 4, 5, 6, 8, 9, 10, 11];
    let result = new Map<number, string>();
    for (let i = 0; i < 6; i++) {
      sut.beginCollection();
      result = new Map(
        order.slice(0, i === 0 ? 1 : order.length).map((p) => {
          // Partition 3 is stuck; the others advance and catch up now and then.
          const offset = p === 3 ? 50 : i * 100;
          const end = p === 3 ? 100 + i : i * 100 + (i % 2) * 10;
          return [p, CONSUMER_STATUS[sut.observe('g', 't', p, { committedOffset: offset, lag: end - offset, owned: true }, i * 10 * SECOND)]];
        }),
      );
      sut.endCollection();
    }
    expect(result.get(3)).toBe('STALL');
    expect([...result].filter(([p]) => p !== 3).map(([, status]) => status)).toEqual(Array(12).fill('OK'));
    expect(sut.size).toEqual({ groups: 1, partitions: 13 });
  });

  it('rejects a window too small to judge anything', () => {
    expect(() => new ConsumerHealth({ windowSize: 1 })).toThrow(RangeError);
  });

  it('defaults to a window of 10 commit observations', () => {
    expect(new ConsumerHealth().options.windowSize).toBe(10);
  });
});

describe('evaluatePartition', () => {
  const options = { windowSize: 3, minStopMs: 0 };

  it('says OK when nothing was committed yet', () => {
    expect(evaluatePartition(new CommitWindow(3).reset(0), 500, 1000, options)).toBe(OK);
  });

  it('follows Burrow with the minimum at 0: STOP as soon as the silence outlasts the window span', () => {
    const window = new CommitWindow(3).reset(0);
    window.laggingSince = 0;
    window.push(0, 10, 5);
    window.push(10_000, 20, 6);
    expect(evaluatePartition(window, 7, 20_000, options)).toBe(OK); // silence 10 s = span 10 s
    expect(evaluatePartition(window, 7, 20_001, options)).toBe(STOP);
  });

  it('ranks REWIND above STOP, and STOP above the lag having been 0 in the window', () => {
    const window = new CommitWindow(3).reset(0);
    window.laggingSince = 0;
    window.push(0, 10, 0);
    window.push(1000, 5, 6);
    expect(evaluatePartition(window, 7, 60_000, options)).toBe(REWIND);
    const caughtUpThenSilent = new CommitWindow(3).reset(0);
    caughtUpThenSilent.laggingSince = 0;
    caughtUpThenSilent.push(0, 10, 0);
    caughtUpThenSilent.push(1000, 11, 0);
    expect(evaluatePartition(caughtUpThenSilent, 7, 60_000, options)).toBe(STOP);
  });
});

describe('worseGroupStatus', () => {
  const rollUp = (partitions: number[]) => CONSUMER_STATUS[partitions.reduce(worseGroupStatus, OK)];

  it('is the worst partition, with STOP, STALL and REWIND rolled up into ERR', () => {
    expect(rollUp([])).toBe('OK');
    expect(rollUp([OK, OK])).toBe('OK');
    expect(rollUp([OK, WARN, OK])).toBe('WARN');
    expect(rollUp([WARN, STOP])).toBe('ERR');
    expect(rollUp([STALL, OK])).toBe('ERR');
    expect(rollUp([OK, REWIND, WARN])).toBe('ERR');
    expect(rollUp([ERR, OK])).toBe('ERR');
  });
});
