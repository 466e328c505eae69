import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AppConfig, ConfigModule } from '@doflamingo/config';
import { ClickHouseHealthIndicator, ClickHouseModule } from '@doflamingo/clickhouse';
import { KafkaHealthIndicator, KafkaModule } from '@doflamingo/kafka';
import { LoggingModule } from '@doflamingo/logging';
import { HEALTH_CHECKS, HealthController } from '@doflamingo/runtime';
import { AlertHistoryConsumer } from './alert-history/alert-history.consumer';
import { MetricsConsumer } from './consuming/metrics-consumer.service';
import { ProcessorStats } from './consuming/processor-stats';
import { ProcessorOutput } from './publishing/processor-output.service';
import { SchemaMigrator } from './schema-migrator.service';
import { ProcessorSelfMetrics } from './self-metrics/processor-self-metrics.service';
import { ClickHouseSink } from './storage/clickhouse-sink.service';
import { RetentionScheduler } from './storage/retention.scheduler';

/** The processor: metrics topic → RxJS windows → ClickHouse and the rollup topic; alerts topic → alert history. */
@Module({})
export class ProcessorModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: ProcessorModule,
      imports: [ConfigModule.forRoot(config), LoggingModule.forRoot(config), TerminusModule, KafkaModule, ClickHouseModule],
      controllers: [HealthController],
      providers: [
        SchemaMigrator,
        ProcessorStats,
        ClickHouseSink,
        ProcessorOutput,
        MetricsConsumer,
        ProcessorSelfMetrics,
        RetentionScheduler,
        AlertHistoryConsumer,
        {
          provide: HEALTH_CHECKS,
          inject: [KafkaHealthIndicator, ClickHouseHealthIndicator, SchemaMigrator, MetricsConsumer, AlertHistoryConsumer],
          useFactory: (kafka: KafkaHealthIndicator, clickhouse: ClickHouseHealthIndicator, schema: SchemaMigrator, consumer: MetricsConsumer, alertHistory: AlertHistoryConsumer) => [
            () => kafka.check('kafka'),
            () => clickhouse.check('clickhouse'),
            () => schema.check('schema'),
            () => consumer.check('consumer'),
            () => alertHistory.check('alertHistory'),
          ],
        },
      ],
    };
  }
}
