import 'reflect-metadata';
import { bootstrapApp } from '@doflamingo/runtime';
import { ProcessorModule } from './processor.module';

void bootstrapApp('processor', (config) => ProcessorModule.register(config));
