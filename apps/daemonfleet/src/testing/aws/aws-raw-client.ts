/** What a request to the AWS endpoint answered, read as a client that is not an SDK would read it. */
export interface RawAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body as JSON, or undefined when it is none. */
  readonly body: Record<string, unknown> | undefined;
}

export const ECS_TARGET = (operation: string) => `AmazonEC2ContainerServiceV20141113.${operation}`;
export const CLOUDWATCH_TARGET = (operation: string) => `GraniteServiceVersion20100801.${operation}`;

/**
 * A POST to the gateway's AWS endpoint with any target and any body (a string or bytes as they are), for the
 * requests no SDK would send.
 */
export async function postAws(url: string, target: string | undefined, body: string | Uint8Array, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const response = await fetch(`${url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', ...(target === undefined ? {} : { 'x-amz-target': target }), ...headers },
    body,
  });
  const text = await response.text();
  let parsed: Record<string, unknown> | undefined;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}
