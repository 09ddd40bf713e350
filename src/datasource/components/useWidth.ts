import { useLayoutEffect, useRef, useState } from 'react';

/** The content width of an element, kept current as it resizes (undefined until measured). */
export function useWidth<T extends HTMLElement>(): [React.RefObject<T>, number | undefined] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState<number>();
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') {
      return;
    }
    const measure = () => setWidth(el.getBoundingClientRect().width || undefined);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}
