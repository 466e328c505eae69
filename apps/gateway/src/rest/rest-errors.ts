import { BadRequestException } from '@nestjs/common';

/** A 400 whose body names the query parameter at fault: `{ statusCode, error, message: "<parameter>: <why>", parameter }`. */
export function badParameter(parameter: string, reason: string): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `${parameter}: ${reason}`, parameter });
}
