import { create } from 'zustand';
import type { ProductLookupRow } from '../../src-shared/branch-inputs';

/*
 * The sale being rung up. Prices here are for display while scanning: the
 * branch core prices the sale again from its catalog when it is completed, and
 * the receipt shows what it decided.
 */
export interface CartLine { product: ProductLookupRow; quantity: number }

export interface CartTotals { totalMinor: number; taxMinor: number; netMinor: number; units: number }

interface CartState {
  lines: CartLine[];
  /** Index of the line the keyboard acts on (+/-/Delete). */
  selected: number;
  add(product: ProductLookupRow, quantity?: number): void;
  setQuantity(productId: string, quantity: number): void;
  remove(productId: string): void;
  select(index: number): void;
  clear(): void;
}

export const useCart = create<CartState>((set, get) => ({
  lines: [],
  selected: -1,
  add(product, quantity = 1) {
    const lines = get().lines;
    const i = lines.findIndex((l) => l.product.productId === product.productId);
    if (i >= 0) {
      const next = lines.slice();
      const line = next[i];
      if (line) next[i] = { product, quantity: line.quantity + quantity };
      set({ lines: next, selected: i });
    } else {
      set({ lines: [...lines, { product, quantity }], selected: lines.length });
    }
  },
  setQuantity(productId, quantity) {
    if (!Number.isInteger(quantity) || quantity < 1) return;
    set({ lines: get().lines.map((l) => (l.product.productId === productId ? { ...l, quantity } : l)) });
  },
  remove(productId) {
    const lines = get().lines.filter((l) => l.product.productId !== productId);
    set({ lines, selected: Math.min(get().selected, lines.length - 1) });
  },
  select: (selected) => set({ selected }),
  clear: () => set({ lines: [], selected: -1 }),
}));

/** Tax-inclusive shelf prices: the VAT in a line is total * rate / (1 + rate), rounded per line, as the store does. */
export function cartTotals(lines: readonly CartLine[]): CartTotals {
  let totalMinor = 0;
  let taxMinor = 0;
  let units = 0;
  for (const l of lines) {
    const line = l.product.priceMinor * l.quantity;
    totalMinor += line;
    taxMinor += Math.round((line * l.product.taxRateBp) / (10_000 + l.product.taxRateBp));
    units += l.quantity;
  }
  return { totalMinor, taxMinor, netMinor: totalMinor - taxMinor, units };
}
