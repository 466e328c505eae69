import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AppConfig, ConfigModule } from '@doflamingo/config';
import { KafkaHealthIndicator, KafkaModule } from '@doflamingo/kafka';
import { LoggingModule } from '@doflamingo/logging';
import { HEALTH_CHECKS, HealthController } from '@doflamingo/runtime';
import { AnomalyConsumer } from './consuming/anomaly-consumer.service';
import { AnomalyPublisher } from './publishing/anomaly-publisher.service';

/** The anomaly detector: metrics topic (own consumer group) → per-series baselines → anomalies topic. */
@Module({})
export class AnomalyDetectorModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: AnomalyDetectorModule,
      imports: [ConfigModule.forRoot(config), LoggingModule.forRoot(config), TerminusModule, KafkaModule],
      controllers: [HealthController],
      providers: [
        AnomalyPublisher,
        AnomalyConsumer,
        {
          provide: HEALTH_CHECKS,
          inject: [KafkaHealthIndicator, AnomalyConsumer],
          useFactory: (kafka: KafkaHealthIndicator, consumer: AnomalyConsumer) => [() => kafka.check('kafka'), () => consumer.check('consumer')],
        },
      ],
    };
  }
}
