import { requestContext } from '#common';

/**
 * Values read for one HTTP request and kept for the rest of it only (keyed by the request's
 * context object, so they go with the request): what one query brought along for a later
 * step of the same request. Outside a request nothing is kept.
 */
export class RequestMemo<V> {
  private readonly byRequest = new WeakMap<object, Map<string, V>>();

  constructor(
    private readonly currentRequest: () => object | undefined = () => requestContext.getStore(),
  ) {}

  set(key: string, value: V): void {
    const request = this.currentRequest();
    if (!request) return;
    let memo = this.byRequest.get(request);
    if (!memo) this.byRequest.set(request, (memo = new Map()));
    memo.set(key, value);
  }

  /** The value, removed: a second step asking again reads afresh. */
  take(key: string): V | undefined {
    const request = this.currentRequest();
    const memo = request && this.byRequest.get(request);
    const value = memo?.get(key);
    memo?.delete(key);
    return value;
  }
}
