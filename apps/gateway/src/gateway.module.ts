import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AppConfig, ConfigModule } from '@doflamingo/config';
import { ClickHouseHealthIndicator, ClickHouseModule } from '@doflamingo/clickhouse';
import { KafkaHealthIndicator, KafkaModule } from '@doflamingo/kafka';
import { LoggingModule } from '@doflamingo/logging';
import { HEALTH_CHECKS, HealthController } from '@doflamingo/runtime';
import { HomeController } from './home.controller';

/** The gateway: live WebSocket stream, history REST API and the dashboard. */
@Module({})
export class GatewayModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [ConfigModule.forRoot(config), LoggingModule.forRoot(config), TerminusModule, KafkaModule, ClickHouseModule],
      controllers: [HealthController, HomeController],
      providers: [
        {
          provide: HEALTH_CHECKS,
          inject: [KafkaHealthIndicator, ClickHouseHealthIndicator],
          useFactory: (kafka: KafkaHealthIndicator, clickhouse: ClickHouseHealthIndicator) => [
            () => kafka.check('kafka'),
            () => clickhouse.check('clickhouse'),
          ],
        },
      ],
    };
  }
}
