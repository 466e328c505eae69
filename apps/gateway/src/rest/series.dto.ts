import { ApiProperty } from '@nestjs/swagger';

export class SeriesHistoryDto {
  @ApiProperty({ type: String, example: 'prod-eu' })
  cluster!: string;

  @ApiProperty({ type: String, example: 'kafka_broker_bytes_in_per_second' })
  metric!: string;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { broker: '1' } })
  labels!: Record<string, string>;

  @ApiProperty({
    description:
      'One entry per bucket that holds samples, oldest first: [bucket start (ms since the epoch), average, minimum, maximum]. ' +
      'Buckets without samples are left out. The average is the average of the samples themselves (rollup averages weighted by sample count).',
    type: 'array',
    items: { type: 'array', items: { type: 'number' }, minItems: 4, maxItems: 4 },
    example: [
      [1735689600000, 1520.5, 1200, 1800],
      [1735689660000, 1498.25, 1100, 1750],
    ],
  })
  points!: [number, number, number, number][];
}

export class SeriesResponseDto {
  @ApiProperty({ enum: ['samples_raw', 'rollups_10s', 'rollups_1m'], description: 'The ClickHouse table that answered.' })
  table!: string;

  @ApiProperty({ type: Number, description: 'Bucket size in milliseconds (buckets are aligned to multiples of it since the epoch).', example: 60000 })
  step!: number;

  @ApiProperty({ type: Number, description: 'Start of the range, inclusive, in ms since the epoch.', example: 1735689600000 })
  from!: number;

  @ApiProperty({ type: Number, description: 'End of the range, exclusive, in ms since the epoch.', example: 1735693200000 })
  to!: number;

  @ApiProperty({ type: [SeriesHistoryDto] })
  series!: SeriesHistoryDto[];
}

export class ErrorDto {
  @ApiProperty({ type: Number, example: 400 })
  statusCode!: number;

  @ApiProperty({ type: String, example: 'step: 15s cannot be built from rollups_10s, the finest table a 2d range reads: use a multiple of 10s' })
  message!: string;

  @ApiProperty({ type: String, example: 'Bad Request' })
  error!: string;

  @ApiProperty({ type: String, required: false, description: 'The query parameter at fault (400 from /series).', example: 'step' })
  parameter?: string;
}
