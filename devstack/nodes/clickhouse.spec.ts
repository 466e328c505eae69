import { clickhouseDriver } from './clickhouse';

describe('clickhouseDriver.retryableStartFailure', () => {
  const retry = (log: string) => clickhouseDriver.retryableStartFailure?.(log);

  it('retries an exit that left nothing in the log', () => {
    expect(retry('')).toMatchObject({ waitSeconds: 2 });
    expect(retry('2026.11.24 13:00:00.000 [ 1 ] <Information> Application: starting up\n')).toBeDefined();
  });

  it('does not retry a failure ClickHouse explained', () => {
    expect(retry('<Error> Application: Net Exception: Address already in use: 127.0.0.1:9000\n')).toBeUndefined();
    expect(retry('Poco::Exception. Code: 1000, e.code() = 0, e.displayText() = Exception: Failed to merge config\n')).toBeUndefined();
  });
});
