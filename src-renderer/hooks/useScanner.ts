import { useLayoutEffect, useRef } from 'react';
import { createScanDetector } from './scan-detector';

function isField(t: EventTarget | null): t is HTMLInputElement | HTMLTextAreaElement {
  return t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement;
}

/** Sets a React-controlled field's value the way typing would, so React sees the change. */
function setFieldValue(el: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  const proto = el instanceof HTMLInputElement ? HTMLInputElement.prototype : HTMLTextAreaElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(el, value);
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

/**
 * Calls `onScan(code)` when a scanner burst ends, wherever the focus is. A
 * burst typed into a field is taken back out of it (the field returns to what
 * it held before the burst), and its Enter does not reach the screen.
 */
export function useScanner(onScan: (code: string) => void, enabled = true): void {
  const handler = useRef(onScan);
  handler.current = onScan;
  useLayoutEffect(() => {
    if (!enabled) return;
    const detector = createScanDetector();
    let before: { el: HTMLInputElement | HTMLTextAreaElement; value: string } | null = null;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) { detector.reset(); return; }
      const v = detector.key(e.key, e.timeStamp);
      if (v.kind === 'pass') {
        if (v.startsBurst) before = isField(e.target) ? { el: e.target, value: e.target.value } : null;
        return;
      }
      e.preventDefault();
      e.stopPropagation();
      if (before && before.el.value !== before.value) setFieldValue(before.el, before.value);
      before = null;
      handler.current(v.code);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [enabled]);
}
