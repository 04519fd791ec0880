import type { IncomingHttpHeaders } from 'node:http';
import type { MessageMeta, Scope } from '@daemonfleet/contracts';
import type { AwsError } from './aws-errors.js';

/**
 * One AWS service's JSON protocol at the shared endpoint (`POST /`): the X-Amz-Target prefix that names it, its
 * media type, how it reads a body and how it answers a failure (its exception names, statuses and headers).
 */
export interface AwsProtocol {
  /** The X-Amz-Target of each operation is this prefix and the operation's name. */
  readonly targetPrefix: string;
  /** On every answer, errors included. */
  readonly mediaType: string;
  /** The body, read in full, as a JSON object; an AwsException (SerializationException, ...) otherwise. */
  decode(raw: Buffer, headers: IncomingHttpHeaders): Record<string, unknown>;
  errorFor(exception: unknown): AwsError;
}

/** Who asks, for which account and region (from the credential scope), and the meta their commands carry. */
export interface AwsRequestContext {
  readonly scope: Scope;
  readonly meta: MessageMeta;
}

/** One operation: the decoded body in, the answer's JSON object out. */
export type AwsOperation = (body: Record<string, unknown>, context: AwsRequestContext) => Promise<object>;

/** The operations of one service, by name (`CreateDaemon`, `PutMetricAlarm`), and the protocol they speak. */
export interface AwsService {
  readonly protocol: AwsProtocol;
  operation(name: string): AwsOperation | undefined;
}
