import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import { AppConfig, ConfigModule } from '@doflamingo/config';
import { KafkaHealthIndicator, KafkaModule } from '@doflamingo/kafka';
import { LoggingModule } from '@doflamingo/logging';
import { HEALTH_CHECKS, HealthController } from '@doflamingo/runtime';
import { CollectionScheduler } from './collection/collection-scheduler.service';
import { MetricPublisher } from './publishing/metric-publisher.service';

/** The agent: scheduled collectors that publish metric batches to the metrics topic. */
@Module({})
export class AgentModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: AgentModule,
      imports: [ConfigModule.forRoot(config), LoggingModule.forRoot(config), TerminusModule, KafkaModule, ScheduleModule.forRoot()],
      controllers: [HealthController],
      providers: [
        MetricPublisher,
        CollectionScheduler,
        {
          provide: HEALTH_CHECKS,
          inject: [KafkaHealthIndicator, MetricPublisher, HealthIndicatorService],
          useFactory: (kafka: KafkaHealthIndicator, publisher: MetricPublisher, indicators: HealthIndicatorService) => [
            () => kafka.check('kafka'),
            () => {
              const state = publisher.state();
              const indicator = indicators.check('publisher');
              return state.publishing === 'ok' ? indicator.up(state) : indicator.down(state);
            },
          ],
        },
      ],
    };
  }
}
