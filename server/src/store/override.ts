import type { Store } from './types';

/** `store` with some methods replaced; every other one is the store's own, bound to it. */
const BASE = Symbol('the store under every override');

/** The store an override (or a chain of them) wraps: one identity per service, e.g. for a per-store cache. */
export function baseStore(store: Store): Store {
  return ((store as unknown as Record<symbol, Store | undefined>)[BASE] as Store | undefined) ?? store;
}

export function overrideStore(store: Store, overrides: Partial<Store>): Store {
  return new Proxy(store, {
    get(target, prop) {
      if (prop === BASE) {
        return baseStore(target);
      }
      const own = (overrides as Record<string | symbol, unknown>)[prop];
      if (own !== undefined) {
        return own;
      }
      const v = Reflect.get(target, prop);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
