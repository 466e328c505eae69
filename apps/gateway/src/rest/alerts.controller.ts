import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ALERT_STATES, AlertEvent } from '@doflamingo/contracts';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { RecentAlerts } from '../live/latest-values.store';
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
  constructor(private readonly alerts: RecentAlerts) {}

  @Get()
  @ApiOperation({ summary: 'Alerts as they last changed (pending, firing, resolved), newest first.' })
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

