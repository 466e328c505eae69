import { Migration } from '../migration';
import { rawSamples } from './0001-raw-samples';
import { rollups } from './0002-rollups';
import { alerts } from './0003-alerts';

export { ROLLUP_TABLES, RollupResolution } from './0002-rollups';

/** Every migration, in version order. Append new ones; never edit one that has shipped. */
export const MIGRATIONS: Migration[] = [rawSamples, rollups, alerts];
