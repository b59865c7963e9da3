import { useState } from 'react';
import type { ProductLookupRow } from '../../src-shared/branch-inputs';
import { call } from '../transport/transport';
import { useScanner } from './useScanner';

/**
 * The lines a stockroom screen builds up by scanning or picking: a product
 * scanned again adds `step` to its line (scan to count). `make` builds a new
 * line; `bump` adds to an existing one.
 */
export function useLines<L extends { product: { productId: string } }>(
  make: (p: ProductLookupRow) => L,
  bump: (line: L) => L,
  onUnknown?: (code: string) => void,
  scanning = true,
) {
  const [lines, setLines] = useState<L[]>([]);
  const add = (p: ProductLookupRow) => setLines((ls) => {
    const i = ls.findIndex((l) => l.product.productId === p.productId);
    if (i < 0) return [...ls, make(p)];
    const next = ls.slice();
    const line = next[i];
    if (line) next[i] = bump(line);
    return next;
  });
  useScanner((code) => {
    void call('lookupProduct', { code }).then((p) => { if (p) add(p); else onUnknown?.(code); });
  }, scanning);
  const update = (index: number, change: (l: L) => L) => setLines((ls) => ls.map((l, i) => (i === index ? change(l) : l)));
  const remove = (index: number) => setLines((ls) => ls.filter((_, i) => i !== index));
  return { lines, setLines, add, update, remove, clear: () => setLines([]) };
}
