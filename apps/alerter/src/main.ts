import 'reflect-metadata';
import { bootstrapApp } from '@doflamingo/runtime';
import { AlerterModule } from './alerter.module';

void bootstrapApp('alerter', (config) => AlerterModule.register(config));
