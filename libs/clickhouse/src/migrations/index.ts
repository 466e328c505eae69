import { Migration } from '../migration';
import { rawSamples } from './0001-raw-samples';

/** Every migration, in version order. Append new ones; never edit one that has shipped. */
export const MIGRATIONS: Migration[] = [rawSamples];
