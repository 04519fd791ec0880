import { HttpException, Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { PATTERN_METADATA } from '@nestjs/microservices/constants.js';
import { ErrorCode } from '@daemonfleet/contracts';
import { tap, type Observable } from 'rxjs';
import { METRICS, type ServiceMetrics } from './service-metrics.js';

const KNOWN_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

/**
 * Counts every message a service handles (by its subject) and every HTTP request the gateway handles (by method and
 * route), with the outcome: `ok`, or the error's code. Installed on every service by `infrastructureProviders`.
 * Label values come from a closed set (the declared patterns and routes, the contracts' error codes), never from
 * what a caller sent, so a caller cannot grow the series.
 */
@Injectable()
export class CommandMetricsInterceptor implements NestInterceptor {
  constructor(@Inject(METRICS) private readonly metrics: ServiceMetrics) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const command = commandOf(context);
    let counted = false;
    const count = (outcome: string) => {
      if (counted) return;
      counted = true;
      this.metrics.commandsHandled.inc({ command, outcome });
    };
    return next.handle().pipe(tap({ complete: () => count('ok'), error: (error: unknown) => count(outcomeOf(error)) }));
  }
}

function commandOf(context: ExecutionContext): string {
  if (context.getType() === 'http') {
    const request = context.switchToHttp().getRequest<{ method: string; route?: { path?: string } }>();
    return `${request.method} ${request.route?.path ?? '(unmatched)'}`;
  }
  const patterns: unknown = Reflect.getMetadata(PATTERN_METADATA, context.getHandler());
  const pattern = Array.isArray(patterns) ? patterns[0] : patterns;
  return typeof pattern === 'string' ? pattern : `${context.getClass().name}.${context.getHandler().name}`;
}

function outcomeOf(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && KNOWN_CODES.has(code)) return code;
  if (error instanceof HttpException) return error.getStatus() === 400 ? ErrorCode.InvalidParameter : `HTTP_${error.getStatus()}`;
  return ErrorCode.Internal;
}
