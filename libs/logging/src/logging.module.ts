import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '@doflamingo/config';
import { pinoOptions } from './pino-options';

/**
 * One structured JSON logger for every app (pino, through nestjs-pino so Nest's own log lines and
 * request logs share it). pino is chosen for its speed: the processor logs on hot paths.
 */
@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            ...pinoOptions(config),
            // Health probes arrive every few seconds; logging them would drown everything else.
            autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health') },
          },
        }),
      ],
    };
  }
}
