import { useEffect, useRef } from 'react';
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
 * Calls `onScan(code)` when a scanner burst ends, wherever the focus is. The
 * burst's characters are kept out of the focused field (its first character,
 * which arrived before we could know, is taken back out).
 */
export function useScanner(onScan: (code: string) => void, enabled = true): void {
  const handler = useRef(onScan);
  handler.current = onScan;
  useEffect(() => {
    if (!enabled) return;
    const detector = createScanDetector();
    let firstField: { el: HTMLInputElement | HTMLTextAreaElement; before: string } | null = null;
    let abandonTimer: ReturnType<typeof setTimeout> | undefined;
    let lastSwallowAt = -Infinity;
    const abandon = () => {
      lastSwallowAt = -Infinity;
      const swallowed = detector.abandon();
      if (swallowed && firstField) setFieldValue(firstField.el, firstField.el.value + swallowed);
      firstField = null;
    };
    const onKey = (e: KeyboardEvent) => {
      clearTimeout(abandonTimer);
      // A pause (or another key) ends a would-be burst that was a person typing fast: give the characters back first.
      const gap = e.timeStamp - lastSwallowAt;
      if (Number.isFinite(gap) && e.key !== 'Enter' && (gap > detector.maxGapMs || e.key.length !== 1)) abandon();
      if (e.ctrlKey || e.metaKey || e.altKey) { detector.reset(); return; }
      const v = detector.key(e.key, e.timeStamp);
      if (v.kind === 'pass') {
        // Remember the field's value before this key, in case it turns out to start a burst.
        if (e.key.length === 1) firstField = isField(e.target) ? { el: e.target, before: e.target.value } : null;
        return;
      }
      e.preventDefault();
      e.stopPropagation();
      if (v.kind === 'swallow') { lastSwallowAt = e.timeStamp; abandonTimer = setTimeout(abandon, detector.patienceMs); }
      if (v.kind === 'scan') {
        if (firstField) setFieldValue(firstField.el, firstField.before);
        firstField = null;
        lastSwallowAt = -Infinity;
        handler.current(v.code);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => { clearTimeout(abandonTimer); window.removeEventListener('keydown', onKey, true); };
  }, [enabled]);
}
