import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorFunction } from '@nestjs/terminus';

/** The checks an app registers with RuntimeModule; each names one dependency (kafka, clickhouse…). */
export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    @Inject(HEALTH_CHECKS) private readonly checks: HealthIndicatorFunction[],
  ) {}

  /** 200 with each dependency's details when all are up, 503 naming the one that is down otherwise. */
  @Get()
  @HealthCheck()
  check() {
    return this.health.check(this.checks);
  }
}
