import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { API_KEY_SCHEME } from './open-api';
import { badParameter } from './rest-errors';
import { SeriesParameterError } from './series-params';
import { ErrorDto, SeriesResponseDto } from './series.dto';
import { SeriesService } from './series.service';

@ApiTags('history')
@ApiBearerAuth(API_KEY_SCHEME)
@ApiUnauthorizedResponse({ type: ErrorDto, description: 'No API key, or a wrong one.' })
@UseGuards(ApiKeyGuard)
@Controller('api/v1/series')
export class SeriesController {
  constructor(private readonly series: SeriesService) {}

  @Get()
  @ApiOperation({
    summary: 'History of the series of one metric, in time buckets, from ClickHouse.',
    description:
      'The range picks the table: up to 6 h samples_raw, up to 7 days rollups_10s, longer rollups_1m (and a table whose retention no longer ' +
      'holds `from` is skipped for the next coarser one). The step must be a multiple of the table resolution (1 s, 10 s, 1 min). ' +
      'Series × buckets may not exceed GATEWAY_SERIES_MAX_POINTS and the range GATEWAY_SERIES_MAX_RANGE_DAYS. Duplicates from ' +
      'at-least-once delivery are removed (FINAL). A rollup row exists once its window has closed, so the newest seconds of a range ' +
      'read from a rollup table may be missing; the WebSocket feed has them live.',
  })
  @ApiQuery({ name: 'metric', type: String, required: true, description: 'A metric name from the catalogue (docs/metrics.md).', example: 'kafka_broker_bytes_in_per_second' })
  @ApiQuery({ name: 'cluster', type: String, required: false, description: 'Cluster name or glob (as in WebSocket subscriptions); all clusters when absent.', example: 'prod-*' })
  @ApiQuery({
    type: String,
    name: 'labels',
    required: false,
    description:
      'Label filters `name:pattern`, comma-separated (commas inside {…} belong to the pattern; `\\,` is a literal comma), or the parameter repeated. ' +
      'Patterns are exact values or globs (*, ?, [..], {a,b}), matched like WebSocket subscription filters; `*` means "has the label".',
    example: 'broker:{1,2}',
  })
  @ApiQuery({ name: 'from', type: String, required: false, description: 'ISO-8601 with a time zone, a date (UTC midnight), or epoch ms. Default: `to` − 1 h.', example: '2025-01-01T00:00:00Z' })
  @ApiQuery({ name: 'to', type: String, required: false, description: 'Exclusive end, same forms. Default: now.', example: '2025-01-01T01:00:00Z' })
  @ApiQuery({ name: 'step', type: String, required: false, description: 'Bucket size: 10s, 1m, 5m, 1h, 1d or milliseconds; whole seconds. Default: a round step giving at most 500 buckets.', example: '1m' })
  @ApiOkResponse({ type: SeriesResponseDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'A bad parameter: the message and `parameter` say which, and why.' })
  @ApiServiceUnavailableResponse({ type: ErrorDto, description: 'ClickHouse did not answer.' })
  async query(@Query() query: Record<string, unknown>): Promise<SeriesResponseDto> {
    try {
      return await this.series.query(query);
    } catch (error) {
      if (error instanceof SeriesParameterError) throw badParameter(error.parameter, error.reason);
      throw error;
    }
  }
}
