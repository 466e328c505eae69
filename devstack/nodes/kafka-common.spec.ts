import { withExtraJavaAgent } from './kafka-common';

describe('withExtraJavaAgent', () => {
  const spec = { command: 'java', cwd: '/tmp', args: ['-Ddoflamingo.node=kafka1', '-Xmx320m', '-javaagent:/jars/jolokia.jar=port=8778', '-XX:+UseG1GC', '-cp', '/jars/*', 'kafka.Kafka', 'server.properties'] };

  it('puts the second agent right after the first, before DEVSTACK_JAVA_OPTS and the classpath', () => {
    const sut = withExtraJavaAgent(spec, '/jars/exporter.jar=127.0.0.1:7071:/rules.yml');
    expect(sut.args.slice(2, 5)).toEqual(['-javaagent:/jars/jolokia.jar=port=8778', '-javaagent:/jars/exporter.jar=127.0.0.1:7071:/rules.yml', '-XX:+UseG1GC']);
    expect(spec.args).toHaveLength(8); // the original is left alone
  });

  it('puts it before -cp when there is no first agent', () => {
    const sut = withExtraJavaAgent({ ...spec, args: ['-Xmx320m', '-cp', '/jars/*', 'kafka.Kafka'] }, '/jars/exporter.jar');
    expect(sut.args).toEqual(['-Xmx320m', '-javaagent:/jars/exporter.jar', '-cp', '/jars/*', 'kafka.Kafka']);
  });
});
