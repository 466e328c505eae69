import { MetricGroup } from './metric-definition';

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** docs/metrics.md, rendered from the code's own definitions so the two cannot drift. */
export function renderCatalogue(groups: readonly MetricGroup[]): string {
  const lines = [
    '# Metric catalogue',
    '',
    '<!-- Generated from libs/contracts/src/catalogue by `npm run docs:metrics`; a unit test fails when it is stale. -->',
    '',
    'Every sample on the metrics topic names one of these metrics and carries exactly its labels',
    '(the cluster is on the batch, not on each sample). Types: **gauge** a value now; **counter** a',
    'running total that only resets when its source restarts; **rate** a per-second rate computed',
    'by the agent.',
  ];
  for (const group of groups) {
    lines.push('', `## ${group.title} (collector \`${group.collector}\`)`, '', '| metric | type | unit | labels | meaning | healthy |', '|---|---|---|---|---|---|');
    for (const metric of group.metrics) {
      const labels = metric.labels.length ? metric.labels.map((l) => `\`${l}\``).join(', ') : '—';
      lines.push(`| \`${metric.name}\` | ${metric.type} | ${cell(metric.unit)} | ${labels} | ${cell(metric.help)} | ${cell(metric.healthy)} |`);
    }
  }
  return lines.join('\n') + '\n';
}
