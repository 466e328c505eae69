import 'reflect-metadata';
import { bootstrapApp } from '@doflamingo/runtime';
import { AgentModule } from './agent.module';

void bootstrapApp('agent', (config) => AgentModule.register(config));
