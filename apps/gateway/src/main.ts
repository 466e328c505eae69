import 'reflect-metadata';
import { bootstrapApp } from '@doflamingo/runtime';
import { GatewayModule } from './gateway.module';
import { GatewayWsAdapter } from './websocket/gateway-ws.adapter';
import { SubscriptionHub } from './websocket/subscription-hub';

void bootstrapApp(
  'gateway',
  (config) => GatewayModule.register(config),
  (nest, config) => {
    const hub = nest.get(SubscriptionHub);
    nest.useWebSocketAdapter(new GatewayWsAdapter(nest, config.gateway, () => hub.sessions.size));
  },
);
