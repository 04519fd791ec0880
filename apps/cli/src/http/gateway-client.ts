import type { DeploymentAtVersion, TimelineEvent } from './gateway-api.js';
import { serverSentEvents, type ServerSentEvent } from './event-stream.js';

/** The gateway answered with an error: its `__type` and message, as the API gives them. */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** What the command line asks the gateway, over its HTTP API. */
export class GatewayClient {
  constructor(readonly baseUrl: string) {}

  async get<T>(path: string): Promise<T> {
    const response = await this.fetch(path);
    const body = (await response.json().catch(() => undefined)) as (T & { __type?: string; message?: string }) | undefined;
    if (!response.ok) throw new GatewayError(response.status, body?.__type ?? 'Error', body?.message ?? `HTTP ${response.status}`);
    return body as T;
  }

  /** The deployment after its first `version` events; the latest without one. */
  stateAt(deploymentId: string, version?: number): Promise<DeploymentAtVersion> {
    return this.get(`/v1/deployments/${encodeURIComponent(deploymentId)}/state${version === undefined ? '' : `?atVersion=${version}`}`);
  }

  /** Every event of the deployment (within the query's range and types), page after page. */
  async *events(deploymentId: string, query: URLSearchParams): AsyncGenerator<TimelineEvent> {
    let nextToken: string | undefined;
    do {
      const page = new URLSearchParams(query);
      page.set('maxResults', '1000');
      if (nextToken) page.set('nextToken', nextToken);
      const answer = await this.get<{ events: TimelineEvent[]; nextToken?: string }>(`/v1/deployments/${encodeURIComponent(deploymentId)}/events?${page}`);
      yield* answer.events;
      nextToken = answer.nextToken;
    } while (nextToken);
  }

  /** The deployment's events as they happen (server-sent events), after `lastEventId` when given. */
  async *watch(deploymentId: string, lastEventId?: string): AsyncGenerator<ServerSentEvent> {
    const response = await this.fetch(`/v1/deployments/${encodeURIComponent(deploymentId)}/watch`, lastEventId === undefined ? {} : { 'last-event-id': lastEventId });
    if (!response.ok || !response.body) {
      const body = (await response.json().catch(() => undefined)) as { __type?: string; message?: string } | undefined;
      throw new GatewayError(response.status, body?.__type ?? 'Error', body?.message ?? `HTTP ${response.status}`);
    }
    yield* serverSentEvents(response.body);
  }

  private async fetch(path: string, headers: Record<string, string> = {}): Promise<Response> {
    try {
      return await fetch(`${this.baseUrl}${path}`, { headers });
    } catch (error) {
      throw new GatewayError(0, 'ConnectionError', `cannot reach the gateway at ${this.baseUrl}: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`);
    }
  }
}
