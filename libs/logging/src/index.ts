export * from './logging.module';
export * from './pino-options';
export { Logger, PinoLogger, InjectPinoLogger } from 'nestjs-pino';
export * from './log-throttle';
