import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AppConfig, ConfigModule } from '@doflamingo/config';
import { ClickHouseHealthIndicator, ClickHouseModule } from '@doflamingo/clickhouse';
import { KafkaHealthIndicator, KafkaModule } from '@doflamingo/kafka';
import { LoggingModule } from '@doflamingo/logging';
import { HEALTH_CHECKS, HealthController } from '@doflamingo/runtime';
import { SchemaMigrator } from './schema-migrator.service';

/** The processor: metrics topic → RxJS windows → ClickHouse. */
@Module({})
export class ProcessorModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: ProcessorModule,
      imports: [ConfigModule.forRoot(config), LoggingModule.forRoot(config), TerminusModule, KafkaModule, ClickHouseModule],
      controllers: [HealthController],
      providers: [
        SchemaMigrator,
        {
          provide: HEALTH_CHECKS,
          inject: [KafkaHealthIndicator, ClickHouseHealthIndicator, SchemaMigrator],
          useFactory: (kafka: KafkaHealthIndicator, clickhouse: ClickHouseHealthIndicator, schema: SchemaMigrator) => [
            () => kafka.check('kafka'),
            () => clickhouse.check('clickhouse'),
            () => schema.check('schema'),
          ],
        },
      ],
    };
  }
}
