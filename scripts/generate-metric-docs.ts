/** Writes docs/metrics.md from the metric catalogue in libs/contracts. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { METRIC_GROUPS, renderCatalogue } from '../libs/contracts/src/catalogue';

const target = join(__dirname, '..', 'docs', 'metrics.md');
writeFileSync(target, renderCatalogue(METRIC_GROUPS));
console.log(`wrote ${target} (${METRIC_GROUPS.reduce((n, g) => n + g.metrics.length, 0)} metrics)`);
