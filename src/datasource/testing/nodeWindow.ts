import { JSDOM } from 'jsdom';

// @grafana/data, @grafana/runtime and @grafana/ui touch the DOM while they load (a storage listener, CSS helpers,
// `Element`), and Node has none. Tests that run in the node environment - to start the real service and speak
// HTTP with Node's own fetch - import this module first: it adds a jsdom window's globals that Node lacks and
// leaves every Node global (fetch, timers, Buffer, ...) as it is.
const g = globalThis as Record<string, unknown>;
if (typeof g.window === 'undefined') {
  const { window } = new JSDOM('<!doctype html><html><body></body></html>', { url: 'http://localhost:3000/' });
  const w = window as unknown as Record<string, unknown>;
  for (const key of Object.getOwnPropertyNames(window)) {
    if (!(key in g)) {
      Object.defineProperty(g, key, { configurable: true, get: () => w[key] });
    }
  }
  // Events dispatched on the jsdom window must be jsdom's own (uPlot does this while loading).
  g.Event = w.Event;
  g.CustomEvent = w.CustomEvent;
  g.window = window;
  // Then the template's own DOM stubs (matchMedia, canvas), which jest-setup.js skips without a window.
  require('../../../.config/jest-setup');
}
