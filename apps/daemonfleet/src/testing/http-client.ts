/** Response bodies are whatever the API answered; tests read them freely and assert on what they read. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** A small JSON client over fetch for the system tests: every call answers its status and parsed body. */
export interface JsonResponse<T = Json> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

export function jsonClient(baseUrl: string) {
  const call = async <T = Json>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonResponse<T>> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as T) : (undefined as T), headers: response.headers };
  };
  return {
    baseUrl,
    get: <T = Json>(path: string) => call<T>('GET', path),
    post: <T = Json>(path: string, body: unknown, headers?: Record<string, string>) => call<T>('POST', path, body, headers),
    put: <T = Json>(path: string, body: unknown) => call<T>('PUT', path, body),
    patch: <T = Json>(path: string, body: unknown) => call<T>('PATCH', path, body),
    delete: <T = Json>(path: string) => call<T>('DELETE', path),
  };
}
export type JsonClient = ReturnType<typeof jsonClient>;
