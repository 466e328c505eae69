/** The java command line shared by ZooKeeper and Kafka nodes. */
import { javaBinary } from '../prerequisites';
import { LaunchSpec } from '../processes';
import { NodeSpec } from '../topology';

export interface JvmLaunch {
  node: NodeSpec;
  cwd: string;
  heap: string;
  metaspace: string;
  classpath: string;
  mainClass: string;
  mainArgs: string[];
  systemProperties: Record<string, string>;
  /** -javaagent value, e.g. the Jolokia agent jar with its options. */
  javaAgent?: string;
}

export function jvmMarker(node: NodeSpec): string {
  return `-Ddoflamingo.node=${node.name}`;
}

/** Extra JVM options from DEVSTACK_JAVA_OPTS; they come last, so they override the defaults. */
function extraJavaOptions(): string[] {
  return (process.env.DEVSTACK_JAVA_OPTS ?? '').split(/\s+/).filter((option) => option !== '');
}

export function jvmLaunchSpec(options: JvmLaunch): LaunchSpec {
  const marker = jvmMarker(options.node);
  const extra = extraJavaOptions();
  // The JVM refuses two collectors, so one chosen in DEVSTACK_JAVA_OPTS replaces ours.
  const collector = extra.some((option) => /^-XX:\+Use\w+GC$/.test(option)) ? [] : ['-XX:+UseSerialGC'];
  const properties = Object.entries(options.systemProperties).map(([key, value]) => `-D${key}=${value}`);
  return {
    command: javaBinary(),
    cwd: options.cwd,
    args: [
      marker,
      // Small start heap plus the serial collector keep RSS low (measured idle, zk profile: Serial 794 MB, G1 866 MB).
      ...collector,
      '-Xms32m',
      `-Xmx${options.heap}`,
      `-XX:MaxMetaspaceSize=${options.metaspace}`,
      '-XX:ReservedCodeCacheSize=96m',
      '-XX:+ExitOnOutOfMemoryError',
      '-Djava.awt.headless=true',
      '-Djava.net.preferIPv4Stack=true',
      ...properties,
      ...(options.javaAgent ? [`-javaagent:${options.javaAgent}`] : []),
      ...extra,
      '-cp',
      options.classpath,
      options.mainClass,
      ...options.mainArgs,
    ],
  };
}
