import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AppConfig, ConfigModule } from '@doflamingo/config';
import { ClickHouseHealthIndicator, ClickHouseModule } from '@doflamingo/clickhouse';
import { KafkaHealthIndicator, KafkaModule } from '@doflamingo/kafka';
import { LoggingModule } from '@doflamingo/logging';
import { HEALTH_CHECKS, HealthController } from '@doflamingo/runtime';
import { HomeController } from './home.controller';
import { LiveFeed } from './live/live-feed.service';
import { LiveModule } from './live/live.module';
import { RestApiModule } from './rest/rest-api.module';
import { LiveGateway } from './websocket/live.gateway';

/** The gateway: live WebSocket stream (JSON and STOMP), history REST API and the dashboard. */
@Module({})
export class GatewayModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [ConfigModule.forRoot(config), LoggingModule.forRoot(config), TerminusModule, KafkaModule, ClickHouseModule, LiveModule, RestApiModule],
      controllers: [HealthController, HomeController],
      providers: [
        LiveGateway,
        {
          provide: HEALTH_CHECKS,
          inject: [KafkaHealthIndicator, ClickHouseHealthIndicator, LiveFeed],
          useFactory: (kafka: KafkaHealthIndicator, clickhouse: ClickHouseHealthIndicator, live: LiveFeed) => [
            () => kafka.check('kafka'),
            () => clickhouse.check('clickhouse'),
            () => live.check('liveFeed'),
          ],
        },
      ],
    };
  }
}
