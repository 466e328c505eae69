import { Module } from '@nestjs/common';
import { ClickHouseModule } from '@doflamingo/clickhouse';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { AlertHistoryService } from './alert-history.service';
import { AlertsController } from './alerts.controller';
import { ClustersController } from './clusters.controller';
import { PrometheusController } from './prometheus.controller';
import { SeriesController } from './series.controller';
import { SeriesService } from './series.service';

/**
 * The REST side of the gateway: /api/v1 (state from the live store, history from ClickHouse) and
 * /metrics (Prometheus). Every route is behind ApiKeyGuard.
 *
 * Needs from the application: ConfigModule (global, APP_CONFIG) and a global module exporting ONE
 * LatestValues and ONE RecentAlerts — the instances the live feed fills; this module deliberately
 * does not provide its own. ClickHouseModule is imported for CLICKHOUSE_CLIENT (a module is a
 * singleton, so it is the same client as the app's).
 */
@Module({
  imports: [ClickHouseModule],
  controllers: [ClustersController, AlertsController, SeriesController, PrometheusController],
  providers: [SeriesService, AlertHistoryService, ApiKeyGuard],
})
export class RestApiModule {}
