/**
 * npm run devstack -- <command>: a real multi-node Kafka / ZooKeeper / ClickHouse stack on this
 * machine, without containers. The work is done in stack.ts; this file only parses arguments.
 */
import { DevstackError } from './errors';
import {
  down,
  install,
  killNode,
  NodeStatus,
  pauseNode,
  ProfileSelection,
  resumeNode,
  StackStatus,
  startNode,
  status,
  stopNode,
  up,
} from './stack';
import { Profile } from './topology';

const usage = `Usage: npm run devstack -- <command> [options]

  install [--profile zk|kraft|all]        Check Java, fetch the jars with Maven, install ClickHouse (default: zk)
  up [--profile zk|kraft]                 Start the profile's nodes and wait until healthy (default: zk)
  down [--profile zk|kraft|all] [--clean] Stop nodes (default: all); --clean also deletes their data
  status [--profile zk|kraft|all] [--json]
  start <node> | stop <node> | kill <node> | pause <node> | resume <node>
  start <zk node> --4lw <list>            Run a ZooKeeper with only these four-letter words (e.g. ruok,srvr);
                                          a plain start or up restores the standard whitelist

Profiles: zk = zk1..zk3 + kafka1..kafka3 (Kafka 3.9 on ZooKeeper) + clickhouse; kraft = kraft1..kraft3 (Kafka 4.1).
Environment: DEVSTACK_PORT_OFFSET shifts all ports, DEVSTACK_JAVA_OPTS adds JVM options.`;

interface Arguments {
  command: string | undefined;
  positional: string[];
  profile: string | undefined;
  /** --4lw: a ZooKeeper four-letter-word whitelist for `start`. */
  fourLetterWords: string | undefined;
  flags: Set<string>;
}

function parseArguments(argv: string[]): Arguments {
  const args: Arguments = { command: undefined, positional: [], profile: undefined, fourLetterWords: undefined, flags: new Set() };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--profile' || arg === '-p') {
      args.profile = argv[++i];
    } else if (arg.startsWith('--profile=')) {
      args.profile = arg.slice('--profile='.length);
    } else if (arg === '--4lw') {
      args.fourLetterWords = argv[++i] ?? '';
    } else if (arg.startsWith('--4lw=')) {
      args.fourLetterWords = arg.slice('--4lw='.length);
    } else if (arg.startsWith('-')) {
      args.flags.add(arg);
    } else if (args.command === undefined) {
      args.command = arg;
    } else {
      args.positional.push(arg);
    }
  }
  return args;
}

function profileSelection(value: string | undefined, fallback: ProfileSelection, allowAll = true): ProfileSelection {
  if (value === undefined) return fallback;
  const allowed = allowAll ? ['zk', 'kraft', 'all'] : ['zk', 'kraft'];
  if (!allowed.includes(value)) throw new DevstackError(`--profile must be one of ${allowed.join(', ')}, got '${value}'`);
  return value as ProfileSelection;
}

function nodeName(args: Arguments): string {
  const name = args.positional[0];
  if (!name) throw new DevstackError(`'${args.command}' needs a node name, e.g. \`npm run devstack -- ${args.command} kafka2\``);
  return name;
}

function statusTable(result: StackStatus): string {
  const header = ['NODE', 'KIND', 'STATE', 'PID', 'RSS MB', 'PORT', 'ROLE'];
  const cell = (value: string | number | null) => (value === null ? '-' : String(value));
  const rows = result.nodes.map((n: NodeStatus) => [n.name, n.kind, n.state, cell(n.pid), cell(n.rssMb), cell(n.port), cell(n.role)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const notes = result.nodes.filter((n) => n.detail !== null).map((n) => `${n.name}: ${n.detail}`);
  return [line(header), ...rows.map(line), '', ...notes, `total RSS: ${result.totalRssMb} MB`].join('\n');
}

async function run(args: Arguments): Promise<void> {
  if (args.fourLetterWords !== undefined && args.command !== 'start') {
    throw new DevstackError(`--4lw goes with \`start <zk node>\`, not with '${args.command ?? ''}'`);
  }
  switch (args.command) {
    case 'install':
      return install(profileSelection(args.profile, 'zk'));
    case 'up': {
      const result = await up(profileSelection(args.profile, 'zk', false) as Profile);
      console.log(statusTable(result));
      return;
    }
    case 'down':
      return down(profileSelection(args.profile, 'all'), { clean: args.flags.has('--clean') });
    case 'status': {
      const result = await status(profileSelection(args.profile, 'all'));
      console.log(args.flags.has('--json') ? JSON.stringify(result, null, 2) : statusTable(result));
      return;
    }
    case 'start':
      return startNode(nodeName(args), { fourLetterWords: args.fourLetterWords });
    case 'stop':
      return stopNode(nodeName(args));
    case 'kill':
      return killNode(nodeName(args));
    case 'pause':
      return pauseNode(nodeName(args));
    case 'resume':
      return resumeNode(nodeName(args));
    case undefined:
    case 'help':
      console.log(usage);
      return;
    default:
      throw new DevstackError(`Unknown command '${args.command}'.\n${usage}`);
  }
}

run(parseArguments(process.argv.slice(2))).then(
  () => process.exit(0),
  (error: unknown) => {
    // Expected failures carry their own advice; findNode's unknown-node error is one too.
    const expected = error instanceof DevstackError || (error instanceof Error && error.message.startsWith('Unknown devstack node'));
    console.error(`error: ${expected ? (error as Error).message : (error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
