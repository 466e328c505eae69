import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ALERT_STATES, AlertEvent } from '@doflamingo/contracts';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { RecentAlerts } from '../live/latest-values.store';
import { AlertHistoryService, MAX_ALERT_HISTORY_ROWS } from './alert-history.service';
import { AlertDto } from './cluster-state.dto';
import { badParameter } from './rest-errors';
import { ErrorDto } from './series.dto';
import { API_KEY_SCHEME } from './open-api';

@ApiTags('state')
@ApiBearerAuth(API_KEY_SCHEME)
@ApiUnauthorizedResponse({ type: ErrorDto, description: 'No API key, or a wrong one.' })
@UseGuards(ApiKeyGuard)
@Controller('api/v1/alerts')
export class AlertsController {
  constructor(
    private readonly alerts: RecentAlerts,
    private readonly history: AlertHistoryService,
  ) {}

  @Get('history')
  @ApiOperation({ summary: 'Every alert event (pending, firing, resolved) in a time range, newest first, from ClickHouse.' })
  @ApiQuery({ name: 'from', type: String, required: false, description: 'ISO-8601 with a zone, or epoch ms; default: 24 h before `to`.' })
  @ApiQuery({ name: 'to', type: String, required: false, description: 'ISO-8601 with a zone, or epoch ms; default: now.' })
  @ApiQuery({ name: 'cluster', type: String, required: false })
  @ApiQuery({ name: 'state', required: false, enum: ALERT_STATES })
  @ApiQuery({ name: 'rule', type: String, required: false, description: 'Only this rule, e.g. kafka-broker-down.' })
  @ApiQuery({ name: 'limit', type: Number, required: false, description: `At most this many events (default 500, up to ${MAX_ALERT_HISTORY_ROWS}).` })
  @ApiOkResponse({ type: [AlertDto] })
  @ApiBadRequestResponse({ type: ErrorDto })
  historyOf(@Query() query: Record<string, unknown>): Promise<AlertEvent[]> {
    return this.history.query(this.history.parse(query));
  }

  @Get()
  @ApiOperation({ summary: 'Alerts as they last changed (pending, firing, resolved), newest first: the live view of this gateway (open alerts are read back from the history at start).' })
  @ApiQuery({ name: 'cluster', type: String, required: false, description: 'Only this cluster.' })
  @ApiQuery({ name: 'state', required: false, enum: ALERT_STATES })
  @ApiOkResponse({ type: [AlertDto] })
  @ApiBadRequestResponse({ type: ErrorDto })
  list(@Query('cluster') cluster?: unknown, @Query('state') state?: unknown): AlertEvent[] {
    for (const [name, value] of [['cluster', cluster], ['state', state]] as const) {
      if (value !== undefined && typeof value !== 'string') throw badParameter(name, 'must be given once');
    }
    if (state !== undefined && !(ALERT_STATES as readonly unknown[]).includes(state)) {
      throw badParameter('state', `expected one of ${ALERT_STATES.join(', ')}, got ${JSON.stringify(state)}`);
    }
    return this.alerts.list({ cluster: (cluster as string | undefined) || undefined, state: state as AlertEvent['state'] | undefined });
  }
}

