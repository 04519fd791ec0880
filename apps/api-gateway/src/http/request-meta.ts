import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { MessageMeta } from '@daemonfleet/contracts';
import { Arns } from '@daemonfleet/domain';
import type { ServiceConfig } from '@daemonfleet/service-runtime';

/** The principal REST callers act as: the REST API has no authentication of its own. */
export const REST_PRINCIPAL_NAME = 'daemonfleet';

/** Who asked and for which scope, from the HTTP request: the correlation id was set by the request logger. */
export function requestMeta(request: Request, config: ServiceConfig): MessageMeta {
  return restMeta(config, String(request.id));
}

/** A REST caller in the configured default scope. */
export function restMeta(config: ServiceConfig, correlationId: string): MessageMeta {
  const scope = config.defaultScope;
  return { correlationId, scope: { ...scope }, principalArn: Arns.iamUser(scope.accountId, REST_PRINCIPAL_NAME) };
}

/** Injects the request itself into a handler, for `requestMeta`. */
export const HttpRequest = createParamDecorator((_data: unknown, context: ExecutionContext): Request => context.switchToHttp().getRequest<Request>());
