import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePrometheusText, parseSampleValue } from './prometheus-text';

describe('parsePrometheusText', () => {
  it('reads names, labels and values, and skips HELP, TYPE and other comments', () => {
    const sut = parsePrometheusText(
      [
        '# HELP kafka_server_brokertopicmetrics_bytesin_total Attribute exposed for management',
        '# TYPE kafka_server_brokertopicmetrics_bytesin_total counter',
        'kafka_server_brokertopicmetrics_bytesin_total 3092298.0',
        'kafka_server_brokertopicmetrics_bytesin_total{topic="demo.orders"} 236037.0',
        '# a comment',
        '',
        'kafka_network_requestmetrics_totaltimems{quantile="0.99",request="Produce"} 87.36000000000058',
      ].join('\n'),
    );
    expect(sut.invalidLines).toBe(0);
    expect(sut.samples).toEqual([
      { name: 'kafka_server_brokertopicmetrics_bytesin_total', labels: {}, value: 3092298 },
      { name: 'kafka_server_brokertopicmetrics_bytesin_total', labels: { topic: 'demo.orders' }, value: 236037 },
      { name: 'kafka_network_requestmetrics_totaltimems', labels: { quantile: '0.99', request: 'Produce' }, value: 87.36000000000058 },
    ]);
  });

  it('unescapes label values and allows blanks, a trailing comma and an empty label set', () => {
    const sut = parsePrometheusText(
      [
        'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9',
        'spaced { a = "x" , b="}, {" , } 2',
        'empty{} 3',
      ].join('\n'),
    );
    expect(sut.samples).toEqual([
      { name: 'msdos_file_access_time_seconds', labels: { path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' }, value: 1.458255915e9 },
      { name: 'spaced', labels: { a: 'x', b: '}, {' }, value: 2 },
      { name: 'empty', labels: {}, value: 3 },
    ]);
  });

  it('ignores timestamps, OpenMetrics exemplars and # EOF, and Windows line ends', () => {
    const sut = parsePrometheusText('http_requests_total{code="200"} 1027 1395066363000\r\nfoo_total 17 # {trace_id="abc"} 1 1520879607.789\r\n# EOF\r\n');
    expect(sut.samples.map((s) => s.value)).toEqual([1027, 17]);
    expect(sut.invalidLines).toBe(0);
  });

  it('reads the special values NaN and ±Inf', () => {
    expect(parseSampleValue('+Inf')).toBe(Infinity);
    expect(parseSampleValue('-Inf')).toBe(-Infinity);
    expect(parseSampleValue('NaN')).toBeNaN();
    expect(parseSampleValue('-1.5E-3')).toBe(-0.0015);
  });

  it('counts malformed lines, says what is wrong with the first, and keeps the good ones', () => {
    const sut = parsePrometheusText(['<html><body>Not Found</body></html>', 'good 1', 'bad{a="x} 1', 'nolabel{a="x"}', 'word{a="x"} twelve', 'esc{a="\\t"} 1'].join('\n'));
    expect(sut.samples).toEqual([{ name: 'good', labels: {}, value: 1 }]);
    expect(sut.invalidLines).toBe(5);
    expect(sut.firstError).toBe('line 1: expected a metric name at column 1');
  });

  it('parses a real JMX exporter page (1.0.1 on a devstack broker) without a bad line', () => {
    const text = readFileSync(join(__dirname, 'fixtures', 'exporter-zk-controller.txt'), 'utf8');
    const sut = parsePrometheusText(text);
    expect(sut.invalidLines).toBe(0);
    expect(sut.samples).toContainEqual({ name: 'jvm_memory_max_bytes', labels: { area: 'heap' }, value: 324403200 });
    expect(sut.samples).toContainEqual({ name: 'jmx_exporter_build_info', labels: { name: 'jmx_prometheus_javaagent', version: '1.0.1' }, value: 1 });
    expect(sut.samples.length).toBe(text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length);
  });
});
