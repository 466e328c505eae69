import { PinoLogger } from '@doflamingo/logging';
import { SinkHealth } from './sink-health';

describe('SinkHealth', () => {
  function sut() {
    let now = 1_000_000;
    const logged: string[] = [];
    const logger = { warn: (_: unknown, message: string) => logged.push(`warn ${message}`), info: (_: unknown, message: string) => logged.push(`info ${message}`) } as unknown as PinoLogger;
    const health = new SinkHealth('ClickHouse', logger, 60000, () => now);
    const changes: string[] = [];
    health.onChange(() => changes.push('down'), () => changes.push('up'));
    return { health, logged, changes, advance: (ms: number) => (now += ms) };
  }

  it('says down once per outage and up once when it ends', () => {
    const { health, changes, advance } = sut();
    health.failed(new Error('connect ECONNREFUSED'));
    advance(5000);
    health.failed(new Error('connect ECONNREFUSED'));
    expect(health.state).toMatchObject({ up: false, failures: 2, outages: 1, lastError: 'connect ECONNREFUSED' });
    expect(health.downForSeconds()).toBe(5);
    health.succeeded();
    health.succeeded();
    expect(changes).toEqual(['down', 'up']);
    expect(health.state.up).toBe(true);
    expect(health.downForSeconds()).toBe(0);
  });

  it('logs a long outage once per interval, not once per failure', () => {
    const { health, logged, advance } = sut();
    for (let i = 0; i < 30; i++) {
      health.failed(new Error('down'));
      advance(5000); // 150 s of failures every 5 s
    }
    health.succeeded();
    expect(logged.filter((line) => line.startsWith('warn'))).toHaveLength(3);
    expect(logged.filter((line) => line.startsWith('info'))).toHaveLength(1);
  });
});
