import type { ErrorPayload } from '@daemonfleet/contracts';

/**
 * The service that handled the request answered with an error (a domain rule, a validation failure, a bug). On
 * the wire, on both transports, it is an `ErrorPayload`: the service's `RpcErrorFilter` makes one of the thrown
 * error, and `RpcClient` turns it back into this.
 */
export class RemoteError extends Error {
  override readonly name = 'RemoteError';
  readonly code: string;
  readonly details?: Record<string, unknown>;

  constructor(
    readonly subject: string,
    payload: ErrorPayload,
  ) {
    super(payload.message);
    this.code = payload.code;
    if (payload.details !== undefined) this.details = payload.details;
  }
}

/** A responder exists but no reply came within the bound. The request may still have been handled. */
export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
  readonly code = 'REQUEST_TIMEOUT';

  constructor(
    readonly subject: string,
    readonly timeoutMs: number,
  ) {
    super(`no reply to "${subject}" within ${timeoutMs} ms`);
  }
}

/** Nobody subscribes to the subject: the request was not handled, and the caller learns it at once. */
export class NoRespondersError extends Error {
  override readonly name = 'NoRespondersError';
  readonly code = 'NO_RESPONDERS';

  constructor(readonly subject: string) {
    super(`no responders for "${subject}"`);
  }
}

/**
 * The transport could not carry the request or its reply: the connection is down or refused, the client was
 * closed, or the transport refused the subject or payload. Only a reply lost with the connection leaves the
 * request possibly handled.
 */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  readonly code = 'TRANSPORT_ERROR';

  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
  }
}

/** Every way `RpcClient.request` can reject. */
export type RpcRequestError = RemoteError | RequestTimeoutError | NoRespondersError | TransportError;

export function isErrorPayload(value: unknown): value is ErrorPayload {
  if (typeof value !== 'object' || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return typeof code === 'string' && typeof message === 'string';
}
