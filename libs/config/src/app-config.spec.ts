import { ConfigError } from './config-error';
import { loadConfig } from './app-config';

describe('loadConfig', () => {
  const sut = (env: Record<string, string>) => loadConfig('agent', env);

  it('gives working local defaults when nothing is set', () => {
    const config = sut({});
    expect(config.kafka.brokers).toEqual(['localhost:9092', 'localhost:9093', 'localhost:9094']);
    expect(config.http.port).toBe(9401);
    expect(config.clusters[0].kafka.brokers).toEqual(config.kafka.brokers);
    expect(config.clickhouse.url).toBe('http://localhost:8123');
  });

  it('reads each app its own HTTP port variable', () => {
    expect(loadConfig('gateway', { GATEWAY_HTTP_PORT: '8088', AGENT_HTTP_PORT: '1', GATEWAY_AUTH: 'none' }).http.port).toBe(8088);
  });

  it('makes the gateway require API keys unless told it is an open demo', () => {
    expect(() => loadConfig('gateway', {})).toThrow('GATEWAY_API_KEYS is required: expected at least one key when GATEWAY_AUTH=token');
    expect(() => loadConfig('gateway', { GATEWAY_API_KEYS: 'short' })).toThrow('GATEWAY_API_KEYS is invalid: expected keys of 16 characters or more, got "(hidden)"');
    expect(loadConfig('gateway', { GATEWAY_API_KEYS: 'a'.repeat(16) + ', ' + 'b'.repeat(20) }).gateway.apiKeys).toEqual(['a'.repeat(16), 'b'.repeat(20)]);
    expect(loadConfig('gateway', { GATEWAY_AUTH: 'none' }).gateway.auth).toBe('none');
    expect(() => loadConfig('gateway', { GATEWAY_AUTH: 'none', GATEWAY_ALLOWED_ORIGINS: 'flamingo.example' })).toThrow(/GATEWAY_ALLOWED_ORIGINS is invalid/);
  });

  it('reads the processor settings, refusing out-of-range values', () => {
    const processor = loadConfig('processor', { PROCESSOR_ALLOWED_LATENESS_MS: '5000', RETENTION_1M_DAYS: '730' }).processor;
    expect(processor).toMatchObject({ allowedLatenessMs: 5000, consumerGroup: 'doflamingo-processor', retentionDays: { raw: 7, rollups10s: 30, rollups1m: 730 } });
    expect(() => loadConfig('processor', { PROCESSOR_SESSION_TIMEOUT_MS: '1000' })).toThrow('PROCESSOR_SESSION_TIMEOUT_MS is invalid: expected a whole number from 6000 to 300000, got "1000"');
  });

  it('reads the anomaly detector settings (decimals too) for the anomaly detector only', () => {
    const anomaly = loadConfig('anomaly-detector', { TOPIC_PREFIX: 'p', ANOMALY_DETECTOR_THRESHOLD: '4.5', ANOMALY_DETECTOR_MIN_SPREAD: '1e-6', ANOMALY_DETECTOR_WINDOW_SAMPLES: '120' }).anomaly;
    expect(anomaly).toMatchObject({ consumerGroup: 'p-anomaly-detector', threshold: 4.5, minSpread: 1e-6, windowSamples: 120, warmupSamples: 30, minSpreadRatio: 0.01 });
    expect(loadConfig('processor', { ANOMALY_DETECTOR_THRESHOLD: 'high' }).anomaly.threshold).toBe(6);
    expect(() => loadConfig('anomaly-detector', { ANOMALY_DETECTOR_THRESHOLD: 'high' })).toThrow('ANOMALY_DETECTOR_THRESHOLD is invalid: expected a number from 1 to 1000, got "high"');
    expect(() => loadConfig('anomaly-detector', { ANOMALY_DETECTOR_MIN_SPREAD: '0' })).toThrow(/ANOMALY_DETECTOR_MIN_SPREAD is invalid: expected a number from 1e-12/);
    expect(() => loadConfig('anomaly-detector', { ANOMALY_DETECTOR_WARMUP_SAMPLES: '2.5' })).toThrow(/ANOMALY_DETECTOR_WARMUP_SAMPLES is invalid: expected a whole number/);
    expect(() => loadConfig('anomaly-detector', { ANOMALY_DETECTOR_CONSUMER_GROUP: 'bad group' })).toThrow(/ANOMALY_DETECTOR_CONSUMER_GROUP is invalid/);
  });

  it('monitors the transport cluster unless told otherwise', () => {
    const config = sut({ KAFKA_BROKERS: 'a:1', MONITOR_KAFKA_BROKERS: 'b:2,c:3' });
    expect(config.kafka.brokers).toEqual(['a:1']);
    expect(config.clusters[0].kafka.brokers).toEqual(['b:2', 'c:3']);
  });

  it('builds SASL settings only when a mechanism is chosen', () => {
    expect(sut({}).kafka.sasl).toBeUndefined();
    const config = sut({ KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: ' p ' });
    expect(config.kafka.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'u', password: ' p ' });
  });

  it.each([
    ['KAFKA_BROKERS', 'localhost', 'a comma-separated list of host:port'],
    ['KAFKA_BROKERS', 'a:1,,b:2', 'a comma-separated list of host:port'],
    ['AGENT_HTTP_PORT', '70000', 'a whole number from 1 to 65535'],
    ['AGENT_HTTP_PORT', '80.5', 'a whole number from 1 to 65535'],
    ['LOG_LEVEL', 'loud', 'one of trace, debug, info, warn, error, fatal, silent'],
    ['CLICKHOUSE_URL', 'ftp://x', 'an http(s) URL'],
    ['CLICKHOUSE_DATABASE', 'drop table;', 'a name matching'],
    ['MONITOR_JOLOKIA_URLS', 'http://a:1/jolokia,nope', 'a comma-separated list of http(s) URLs'],
    ['KAFKA_SSL', 'maybe', 'true or false'],
    ['KAFKA_REQUEST_TIMEOUT_MS', '5', 'a whole number from 100 to 300000'],
    ['TOPIC_PREFIX', '-bad', 'a name matching'],
  ])('rejects %s=%s with one line naming the variable', (variable, value, expected) => {
    const attempt = () => sut({ [variable]: value });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const message = (error as ConfigError).message;
      expect(message).toContain(variable);
      expect(message).toContain(expected);
      expect(message).toContain(JSON.stringify(value));
      expect(message).not.toContain('\n');
    }
  });

  it('names a required variable that is missing', () => {
    expect(() => sut({ KAFKA_SASL_MECHANISM: 'plain' })).toThrow('KAFKA_SASL_USERNAME is required');
  });

  it('never echoes a password back in an error', () => {
    // The only password-dependent failure would be a reader error; secrets have none, so a bad
    // neighbour's message must not contain the secret either.
    const attempt = () => sut({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 's3cret', LOG_LEVEL: 'x' });
    expect(attempt).toThrow(/LOG_LEVEL/);
    expect(attempt).not.toThrow(/s3cret/);
  });
});
