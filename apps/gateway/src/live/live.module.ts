import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { KafkaModule } from '@doflamingo/kafka';
import { SubscriptionHub } from '../websocket/subscription-hub';
import { LatestValues, RecentAlerts, RecentAnomalies } from './latest-values.store';
import { LiveFeed } from './live-feed.service';

/** The live state every part of the gateway reads: latest values, recent alerts and anomalies, and who subscribed to what. */
@Global()
@Module({
  imports: [TerminusModule, KafkaModule],
  providers: [LatestValues, { provide: RecentAlerts, useFactory: () => new RecentAlerts(1000) }, { provide: RecentAnomalies, useFactory: () => new RecentAnomalies(500) }, SubscriptionHub, LiveFeed],
  exports: [LatestValues, RecentAlerts, RecentAnomalies, SubscriptionHub, LiveFeed],
})
export class LiveModule {}
