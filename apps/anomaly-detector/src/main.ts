import 'reflect-metadata';
import { bootstrapApp } from '@doflamingo/runtime';
import { AnomalyDetectorModule } from './anomaly-detector.module';

void bootstrapApp('anomaly-detector', (config) => AnomalyDetectorModule.register(config));
