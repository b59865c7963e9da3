import type { CatalogProduct } from '../branch-inputs';
import type { TaxClass } from '../primitives';

/*
 * A grocery-and-household catalog for demos, screenshots and benchmarks:
 * English and Arabic names, EAN-13 barcodes, USD shelf prices (VAT included).
 * Deterministic from a seed, so ids, barcodes and prices are the same on every
 * machine and a re-seed updates rather than duplicates.
 */

const ITEMS: ReadonlyArray<readonly [string, string, TaxClass]> = [
  ['Olive Oil', 'زيت زيتون', 'standard'], ['Arabic Bread', 'خبز عربي', 'zero'], ['Labneh', 'لبنة', 'reduced'],
  ['Halloumi Cheese', 'جبنة حلوم', 'reduced'], ['Zaatar', 'زعتر', 'standard'], ['Hummus', 'حمص', 'reduced'],
  ['Tahini', 'طحينة', 'standard'], ['Rice', 'أرز', 'zero'], ['Lentils', 'عدس', 'zero'], ['Bulgur', 'برغل', 'zero'],
  ['Coffee', 'قهوة', 'standard'], ['Tea', 'شاي', 'standard'], ['Sugar', 'سكر', 'zero'], ['Mineral Water', 'مياه معدنية', 'standard'],
  ['Orange Juice', 'عصير برتقال', 'standard'], ['Milk', 'حليب', 'zero'], ['Yogurt', 'لبن', 'reduced'], ['Eggs', 'بيض', 'zero'],
  ['Dish Soap', 'سائل جلي', 'standard'], ['Laundry Powder', 'مسحوق غسيل', 'standard'], ['Shampoo', 'شامبو', 'standard'],
  ['Toothpaste', 'معجون أسنان', 'standard'], ['Tissues', 'محارم', 'standard'], ['Batteries', 'بطاريات', 'standard'],
  ['Chocolate', 'شوكولا', 'standard'], ['Biscuits', 'بسكويت', 'standard'], ['Pistachios', 'فستق حلبي', 'standard'],
  ['Dates', 'تمر', 'reduced'], ['Pomegranate Molasses', 'دبس رمان', 'standard'], ['Rose Water', 'ماء ورد', 'standard'],
];
const SIZES: ReadonlyArray<readonly [string, string]> = [
  ['250 g', '٢٥٠ غ'], ['500 g', '٥٠٠ غ'], ['1 kg', '١ كغ'], ['Family pack', 'عبوة عائلية'], ['Small', 'صغير'],
  ['Large', 'كبير'], ['Organic', 'عضوي'], ['Premium', 'ممتاز'], ['Classic', 'كلاسيكي'], ['Value', 'اقتصادي'],
];

/** A small, fast PRNG (mulberry32): the same sequence everywhere. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** EAN-13 with its check digit, from a 12-digit body. */
export function ean13(body: string): string {
  const sum = [...body].reduce((s, d, i) => s + Number(d) * (i % 2 === 0 ? 1 : 3), 0);
  return body + String((10 - (sum % 10)) % 10);
}

/** A stable UUIDv7-shaped id from a number (demo data only: real ids are made by uuidv7()). */
function demoId(kind: number, n: number): string {
  const hex = (kind * 1_000_000_000 + n).toString(16).padStart(20, '0');
  return `0190a000-0000-7${hex.slice(0, 3)}-8${hex.slice(3, 6)}-${hex.slice(8, 20)}`;
}

export const DEMO_WAREHOUSES = {
  beirut: { id: demoId(1, 1), code: 'BEY-01', name: 'Beirut – Hamra', kind: 'store' as const, timezone: 'Asia/Beirut' },
  tripoli: { id: demoId(1, 2), code: 'TRP-01', name: 'Tripoli – Mina', kind: 'store' as const, timezone: 'Asia/Beirut' },
  depot: { id: demoId(1, 3), code: 'DEP-01', name: 'Central depot', kind: 'warehouse' as const, timezone: 'Asia/Beirut' },
};
/** The third branch exists only centrally (in `npm start`'s demo tenant); the till's own demo catalog keeps its three warehouses. */
export const DEMO_ZAHLE = { id: demoId(1, 4), code: 'ZAH-01', name: 'Zahle – Boulevard', kind: 'store' as const, timezone: 'Asia/Beirut' };
export const DEMO_TENANT_ID = demoId(2, 1);
export const DEMO_DEVICE_ID = demoId(3, 1);

export interface DemoProduct { product: CatalogProduct; openingQuantity: number }

export function demoCatalog(count: number, seed = 42): DemoProduct[] {
  const rnd = prng(seed);
  const out: DemoProduct[] = [];
  for (let n = 1; n <= count; n += 1) {
    const [en, ar, taxClass] = ITEMS[(n - 1) % ITEMS.length] ?? ITEMS[0]!;
    const round = Math.floor((n - 1) / ITEMS.length);
    const [sizeEn, sizeAr] = SIZES[round % SIZES.length] ?? SIZES[0]!;
    const variant = Math.floor(round / SIZES.length);
    const suffix = variant > 0 ? ` #${variant + 1}` : '';
    const price = 50 + Math.floor(rnd() * 40) * 25; // $0.50 .. $10.25 in 25-cent steps
    out.push({
      product: {
        id: demoId(4, n),
        sku: `SKU-${String(n).padStart(6, '0')}`,
        barcodes: [ean13(`622${String(n).padStart(9, '0')}`)],
        nameEn: `${en} ${sizeEn}${suffix}`,
        nameAr: `${ar} ${sizeAr}${suffix}`,
        priceMinor: price,
        currency: 'USD',
        taxClass,
        active: true,
        reorderLevel: 5,
      },
      // Most shelves stocked, a few low, a few empty: the low-stock view has something to show.
      openingQuantity: n % 17 === 0 ? 0 : n % 11 === 0 ? 3 : 10 + Math.floor(rnd() * 90),
    });
  }
  return out;
}
