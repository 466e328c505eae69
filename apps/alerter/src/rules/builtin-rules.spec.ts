import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { metricCatalogue } from '@doflamingo/contracts';
import { BUILTIN_RULES } from './builtin-rules';

describe('built-in rules', () => {
  it('watch metrics the catalogue defines, and use only labels those metrics have', () => {
    const catalogue = metricCatalogue();
    for (const rule of BUILTIN_RULES) {
      const metric = catalogue.get(rule.metric);
      expect({ rule: rule.name, known: metric !== undefined }).toEqual({ rule: rule.name, known: true });
      const placeholders = [...rule.message.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).filter((name) => !['cluster', 'value', 'threshold'].includes(name));
      expect({ rule: rule.name, labels: placeholders.filter((name) => !metric!.labels.includes(name)) }).toEqual({ rule: rule.name, labels: [] });
    }
  });

  it('are each listed in docs/alerts.md with their metric', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'alerts.md'), 'utf8');
    for (const rule of BUILTIN_RULES) expect(doc).toContain(`| \`${rule.name}\` | \`${rule.metric}\` |`);
  });
});
