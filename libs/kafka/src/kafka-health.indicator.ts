import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Admin } from 'kafkajs';
import { HEALTH_CHECK_TIMEOUT_MS, withTimeout } from '@doflamingo/runtime';
import { KafkaClients } from './kafka-clients.service';

/** Up when the transport cluster answers a metadata request: reports broker count and controller. */
@Injectable()
export class KafkaHealthIndicator {
  private admin?: Admin;

  constructor(
    private readonly clients: KafkaClients,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key = 'kafka') {
    const indicator = this.indicators.check(key);
    try {
      // No retries inside the probe: a health check answers now, and the next check tries again.
      this.admin ??= this.clients.admin({ retry: { retries: 0 } });
      await withTimeout(this.admin.connect(), HEALTH_CHECK_TIMEOUT_MS, 'Kafka');
      const cluster = await withTimeout(this.admin.describeCluster(), HEALTH_CHECK_TIMEOUT_MS, 'Kafka describeCluster');
      return indicator.up({ brokers: cluster.brokers.length, controller: cluster.controller });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
