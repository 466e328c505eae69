import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { KafkaModule } from '@doflamingo/kafka';
import { SubscriptionHub } from '../websocket/subscription-hub';
import { LatestValues, RecentAlerts } from './latest-values.store';
import { LiveFeed } from './live-feed.service';

/** The live state every part of the gateway reads: latest values, recent alerts, and who subscribed to what. */
@Global()
@Module({
  imports: [TerminusModule, KafkaModule],
  providers: [LatestValues, { provide: RecentAlerts, useFactory: () => new RecentAlerts(1000) }, SubscriptionHub, LiveFeed],
  exports: [LatestValues, RecentAlerts, SubscriptionHub, LiveFeed],
})
export class LiveModule {}
