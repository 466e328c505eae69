import 'reflect-metadata';
import { bootstrapApp } from '@doflamingo/runtime';
import { GatewayModule } from './gateway.module';
import { setUpOpenApi } from './rest/open-api';
import { GatewayWsAdapter } from './websocket/gateway-ws.adapter';
import { SubscriptionHub } from './websocket/subscription-hub';

void bootstrapApp(
  'gateway',
  (config) => GatewayModule.register(config),
  (nest, config) => {
    setUpOpenApi(nest);
    const hub = nest.get(SubscriptionHub);
    nest.useWebSocketAdapter(new GatewayWsAdapter(nest, config.gateway, () => hub.sessions.size));
  },
);
