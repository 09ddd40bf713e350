// Browser APIs that jsdom lacks and Grafana's Combobox uses: canvas text measurement (to size the input),
// IntersectionObserver/ResizeObserver, and element sizes (clientHeight) for the virtualised option list.
export function installDomStubs(): void {
  (HTMLCanvasElement.prototype as unknown as { getContext: () => unknown }).getContext = () => ({
    measureText: (text: string) => ({ width: text.length * 7 }),
    font: '',
  });
  class NoopObserver {
    observe() {}
    unobserve() {}
    disconnect() {}
    takeRecords() {
      return [];
    }
  }
  const g = globalThis as Record<string, unknown>;
  g.IntersectionObserver ??= NoopObserver;
  g.ResizeObserver ??= NoopObserver;
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 400 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 400 });
  Element.prototype.getBoundingClientRect = function () {
    return { x: 0, y: 0, top: 0, left: 0, bottom: 400, right: 400, width: 400, height: 400, toJSON: () => ({}) };
  };
  Element.prototype.scrollIntoView ??= () => {};
}
