import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AppConfig, ConfigModule } from '@doflamingo/config';
import { KafkaHealthIndicator, KafkaModule } from '@doflamingo/kafka';
import { LoggingModule } from '@doflamingo/logging';
import { HEALTH_CHECKS, HealthController } from '@doflamingo/runtime';
import { RuleEngine } from './evaluation/rule-engine';
import { RULE_ENGINE } from './evaluation/rule-engine.token';
import { RuleEvaluator } from './evaluation/rule-evaluator.service';
import { AlertPublisher } from './publishing/alert-publisher.service';
import { loadRuleSet } from './rules/rule-set';
import { AlerterSelfMetrics } from './self-metrics/alerter-self-metrics.service';
import { WebhookNotifier } from './webhooks/webhook-notifier.service';

/** The alerter: metrics topic → rules → alerts topic, and alerts topic → webhooks. */
@Module({})
export class AlerterModule {
  static register(config: AppConfig): DynamicModule {
    // Read here, before Nest starts: a mistake in the rules file stops start-up with one line naming it.
    const engine = new RuleEngine(loadRuleSet(config.alerter.rulesFile));
    return {
      module: AlerterModule,
      imports: [ConfigModule.forRoot(config), LoggingModule.forRoot(config), TerminusModule, KafkaModule],
      controllers: [HealthController],
      providers: [
        { provide: RULE_ENGINE, useValue: engine },
        AlertPublisher,
        RuleEvaluator,
        WebhookNotifier,
        AlerterSelfMetrics,
        {
          provide: HEALTH_CHECKS,
          inject: [KafkaHealthIndicator, RuleEvaluator, WebhookNotifier],
          useFactory: (kafka: KafkaHealthIndicator, rules: RuleEvaluator, webhooks: WebhookNotifier) => [
            () => kafka.check('kafka'),
            () => rules.check('rules'),
            () => webhooks.check('webhooks'),
          ],
        },
      ],
    };
  }
}
