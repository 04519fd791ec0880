/**
 * The subscription side of the event store port, stated structurally (this library depends on no project):
 * `subscribe(options, handler)`, where `options.name` is set for a durable subscription.
 */
interface Subscribing {
  subscribe(...args: never[]): Promise<unknown>;
}

type OptionsOf<Store extends Subscribing> = Parameters<Store['subscribe']>[0];
type HandlerOf<Store extends Subscribing> = Parameters<Store['subscribe']>[1];
type EventOf<Store extends Subscribing> = Parameters<HandlerOf<Store>>[0];

export interface Delivery<Event> {
  /** The durable subscription's name; undefined for an ephemeral one. */
  readonly subscription: string | undefined;
  readonly event: Event;
  /** True when the tap delivered it again itself (see `redeliver`). */
  readonly replayed: boolean;
}

export interface TappedStore<Store extends Subscribing> {
  /** The store, with subscriptions that report (and, where asked, repeat) what they deliver. */
  readonly store: Store;
  /** Every delivery to a handler, in order: the store's own, redeliveries of the server included, and the tap's replays. */
  readonly deliveries: readonly Delivery<EventOf<Store>>[];
}

/**
 * Wraps an event store (any adapter) to watch what its subscriptions hand to their handlers, and, for the
 * subscriptions `redeliver` picks, to deliver at least once, as the port allows and as a consumer does after a
 * lost acknowledgement or a checkpoint that went back: after each event, the one before it is delivered again, then
 * the event again (e1, e2, e1, e2, e3, e2, e3, …): every event twice or more, and an older event after a newer one
 * of the same stream. The replays go through the handler the service gave the store, as the store would call it.
 * Everything else is the store itself.
 */
export function tapSubscriptions<Store extends Subscribing>(
  store: Store,
  { redeliver = () => false }: { redeliver?: (options: OptionsOf<Store>) => boolean } = {},
): TappedStore<Store> {
  const deliveries: Delivery<EventOf<Store>>[] = [];
  const subscribe = (options: OptionsOf<Store>, handler: (event: EventOf<Store>) => Promise<void> | void) => {
    const replaying = redeliver(options);
    const subscription = (options as { readonly name?: string }).name;
    let previous: EventOf<Store> | undefined;
    const deliver = async (event: EventOf<Store>, replayed: boolean) => {
      deliveries.push({ subscription, event, replayed });
      await handler(event);
    };
    const subscribeTo = store.subscribe.bind(store) as (options: OptionsOf<Store>, handler: (event: EventOf<Store>) => Promise<void>) => Promise<unknown>;
    return subscribeTo(options, async (event: EventOf<Store>) => {
      await deliver(event, false);
      if (!replaying) return;
      if (previous !== undefined) {
        await deliver(previous, true);
        await deliver(event, true);
      }
      previous = event;
    });
  };
  const tapped = new Proxy(store, {
    get(target, property) {
      if (property === 'subscribe') return subscribe;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: tapped, deliveries };
}
