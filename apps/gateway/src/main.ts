import 'reflect-metadata';
import { bootstrapApp } from '@doflamingo/runtime';
import { serveDashboard } from './dashboard/dashboard-files';
import { GatewayModule } from './gateway.module';
import { setUpOpenApi } from './rest/open-api';
import { GatewayWsAdapter } from './websocket/gateway-ws.adapter';
import { SubscriptionHub } from './websocket/subscription-hub';

void bootstrapApp(
  'gateway',
  (config) => GatewayModule.register(config),
  (nest, config) => {
    setUpOpenApi(nest);
    // Browsers on other origins (Flamingo embedding <doflamingo-panel>) call the REST API too.
    const origins = config.gateway.allowedOrigins;
    nest.enableCors({ origin: origins.includes('*') ? '*' : origins, allowedHeaders: ['Authorization', 'X-API-Key', 'Content-Type'], maxAge: 600 });
    serveDashboard(nest);
    const hub = nest.get(SubscriptionHub);
    nest.useWebSocketAdapter(new GatewayWsAdapter(nest, config.gateway, () => hub.sessions.size));
  },
);
