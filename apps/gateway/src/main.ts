import 'reflect-metadata';
import { bootstrapApp } from '@doflamingo/runtime';
import { GatewayModule } from './gateway.module';

void bootstrapApp('gateway', (config) => GatewayModule.register(config));
