import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { metricCatalogue } from '@doflamingo/contracts';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { LatestValues } from '../live/latest-values.store';
import { API_KEY_SCHEME } from './open-api';
import { EXPOSITION_CONTENT_TYPE, renderExposition } from './prometheus-exposition';
import { ErrorDto } from './series.dto';

/** GET /metrics: what Prometheus scrapes (with `authorization: { credentials: <key> }` in its scrape config). */
@ApiTags('prometheus')
@ApiBearerAuth(API_KEY_SCHEME)
@ApiUnauthorizedResponse({ type: ErrorDto, description: 'No API key, or a wrong one.' })
@UseGuards(ApiKeyGuard)
@Controller('metrics')
export class PrometheusController {
  private readonly catalogue = metricCatalogue();

  constructor(private readonly latest: LatestValues) {}

  @Get()
  @Header('Content-Type', EXPOSITION_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The latest value of every live series in the Prometheus text format 0.0.4, with a cluster label and collection timestamps.' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ schema: { type: 'string' }, description: 'Prometheus text exposition format 0.0.4.' })
  render(): string {
    return renderExposition(this.latest.all(), this.catalogue);
  }
}
