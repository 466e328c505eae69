import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { KafkaClients } from './kafka-clients.service';
import { KafkaHealthIndicator } from './kafka-health.indicator';

/** kafkajs clients for Doflamingo's transport cluster, configured from APP_CONFIG. */
@Module({
  imports: [TerminusModule],
  providers: [KafkaClients, KafkaHealthIndicator],
  exports: [KafkaClients, KafkaHealthIndicator],
})
export class KafkaModule {}
