import { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig, AppName, ConfigError, loadConfig } from '@doflamingo/config';
import { Logger } from '@doflamingo/logging';

/** sysexits.h EX_CONFIG: supervisors can tell a configuration mistake from a crash. */
export const EXIT_BAD_CONFIG = 78;

/**
 * Starts one Doflamingo app: configuration first (a bad value stops the process with one line
 * naming the variable, before anything connects anywhere), then Nest with the shared JSON logger,
 * graceful shutdown on SIGTERM/SIGINT, and the HTTP server (health and, per app, its API).
 */
export async function bootstrapApp(
  app: AppName,
  rootModule: (config: AppConfig) => DynamicModule,
  /** Per-app wiring before the server listens (WebSocket adapter, OpenAPI document…). */
  configure?: (nest: INestApplication, config: AppConfig) => void | Promise<void>,
): Promise<void> {
  let config: AppConfig;
  let module: DynamicModule;
  try {
    config = loadConfig(app);
    // Apps that read more configuration (the alerter's rules file) do it here, before anything connects.
    module = rootModule(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`doflamingo-${app}: invalid configuration: ${error.message}\n`);
      process.exit(EXIT_BAD_CONFIG);
    }
    throw error;
  }

  const nest = await NestFactory.create(module, { bufferLogs: true });
  nest.useLogger(nest.get(Logger));
  await configure?.(nest, config);
  await nest.listen(config.http.port, config.http.host);
  const logger = nest.get(Logger);
  logger.log(`doflamingo-${app} listening on http://${config.http.host}:${config.http.port}`, 'Bootstrap');

  // Our own signal handling rather than Nest's enableShutdownHooks (which re-raises the signal):
  // close every module (flush, commit, disconnect), then exit 0 so supervisors see a clean stop.
  const stop = async (signal: NodeJS.Signals) => {
    logger.log(`${signal} received: shutting down`, 'Bootstrap');
    const forced = setTimeout(() => process.exit(1), 30000).unref();
    await nest.close();
    clearTimeout(forced);
    logger.log('stopped cleanly', 'Bootstrap');
    // stdout to a pipe is asynchronous: let the last lines out before exiting.
    process.stdout.write('', () => process.exit(0));
  };
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));
}
