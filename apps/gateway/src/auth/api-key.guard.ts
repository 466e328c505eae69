import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { IncomingMessage } from 'node:http';
import { AppConfig, APP_CONFIG } from '@doflamingo/config';
import { checkKey, presentedKey } from './api-key';

/** REST: 401 with a message saying how to authenticate, unless GATEWAY_AUTH=none. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<IncomingMessage>();
    const verdict = checkKey(this.config.gateway, presentedKey(request.headers, request.url));
    if (verdict.ok) return true;
    throw new UnauthorizedException(
      verdict.reason === 'missing'
        ? 'an API key is required: send "Authorization: Bearer <key>" (or X-API-Key, or ?access_token=)'
        : 'the API key is not valid',
    );
  }
}
