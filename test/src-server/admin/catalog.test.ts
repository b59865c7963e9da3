import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases';
import { adminTenant, type AdminTenant } from '../http/fixtures';
import { startHarness, type Harness } from '../http/harness';

type Report = { mode: string; rows: number; applied: boolean; inserted: number; updated: number; rejected: number; errors: { row: number; field: string; message: string }[] };

describe.each(databaseKinds)('catalog: bulk upsert and CSV import (%s)', (kind) => {
  let h: Harness;
  let t: AdminTenant;
  const csv = (tenantId: string, text: string, mode?: string) =>
    h.call('POST', `/v1/admin/tenants/${tenantId}/products/import${mode ? `?mode=${mode}` : ''}`, { raw: text, type: 'text/csv', token: 'test-admin-token-0123456789abcdef' });
  const skus = async (tenantId: string) =>
    ((await h.admin('GET', `/v1/admin/tenants/${tenantId}/products`)).json as unknown as { sku: string; priceMinor: number; barcodes: string[]; nameAr: string }[]);

  beforeAll(async () => {
    h = await startHarness(kind);
    t = await adminTenant(h);
  });
  afterAll(async () => { await h.close(); });

  it('upserts by SKU, leaves unchanged rows alone and keeps ids', async () => {
    const body = { products: [
      { sku: 'COLA-330', barcodes: ['5449000000996'], nameEn: 'Cola 330ml', nameAr: 'كولا', priceMinor: 125, currency: 'USD' },
      { sku: 'BREAD', nameEn: 'Bread', priceMinor: 90000, currency: 'LBP', taxClass: 'zero' },
    ] };
    const first = await h.admin('PUT', `/v1/admin/tenants/${t.tenantId}/products`, body);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ inserted: 2, updated: 0, unchanged: 0 });
    const again = await h.admin('PUT', `/v1/admin/tenants/${t.tenantId}/products`, body);
    expect(again.json).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
    expect(again.json.products).toEqual(first.json.products);
    const changed = await h.admin('PUT', `/v1/admin/tenants/${t.tenantId}/products`, { products: [{ ...body.products[0], priceMinor: 150 }] });
    expect(changed.json).toMatchObject({ inserted: 0, updated: 1 });
    expect((await skus(t.tenantId)).find((p) => p.sku === 'COLA-330')?.priceMinor).toBe(150);
  });

  it('refuses a batch with a duplicate SKU or a barcode of another product, writing nothing', async () => {
    const before = await skus(t.tenantId);
    const dup = await h.admin('PUT', `/v1/admin/tenants/${t.tenantId}/products`, { products: [
      { sku: 'NEW-1', nameEn: 'New', priceMinor: 1, currency: 'USD' },
      { sku: 'NEW-1', nameEn: 'New again', priceMinor: 1, currency: 'USD' },
    ] });
    expect(dup.status).toBe(400);
    expect(dup.json.code).toBe('validation');
    const stolen = await h.admin('PUT', `/v1/admin/tenants/${t.tenantId}/products`, { products: [
      { sku: 'NEW-2', barcodes: ['5449000000996'], nameEn: 'Not cola', priceMinor: 1, currency: 'USD' },
    ] });
    expect(stolen.status).toBe(400);
    expect(JSON.stringify(stolen.json.details)).toContain('already belongs to SKU COLA-330');
    expect(await skus(t.tenantId)).toEqual(before);
  });

  it('imports a spreadsheet CSV (BOM, CRLF, quotes, Arabic, major-unit prices)', async () => {
    const text = '\ufeffsku,barcodes,name_en,name_ar,price,currency,tax_class,active\r\n'
      + 'TEA-100,6281000000017|6281000000024,"Tea, black 100g",شاي أسود,2.5,USD,reduced,yes\r\n'
      + 'RICE-1KG,,"Rice ""Basmati"" 1kg",رز,"150,000",LBP,,\r\n';
    const r = await csv(t.tenantId, text);
    expect(r.status).toBe(200);
    const report = r.json as unknown as Report;
    expect(report).toMatchObject({ mode: 'all_or_nothing', rows: 2, applied: true, inserted: 2, rejected: 0, errors: [] });
    const list = await skus(t.tenantId);
    expect(list.find((p) => p.sku === 'TEA-100')).toMatchObject({ priceMinor: 250, barcodes: ['6281000000017', '6281000000024'], nameAr: 'شاي أسود' });
    expect(list.find((p) => p.sku === 'RICE-1KG')).toMatchObject({ priceMinor: 150000 });
  });

  const bad = 'sku,name_en,price,currency,barcodes\n'
    + 'OK-1,Fine,1.00,USD,\n' // row 2
    + ',No sku,1.00,USD,\n' // row 3
    + 'OK-2,Bad price,1.005,USD,\n' // row 4
    + 'OK-3,Bad currency,1,EUR,\n' // row 5
    + 'OK-1,Duplicate,2,USD,\n' // row 6
    + 'OK-4,Negative,-1,USD,\n' // row 7
    + 'OK-5,Fine too,3,USD,6281000000017\n'; // row 8: barcode of TEA-100

  it('reports every bad row with its row number and field, and by default applies nothing', async () => {
    const before = await skus(t.tenantId);
    const r = await csv(t.tenantId, bad);
    expect(r.status).toBe(400);
    expect(r.json.code).toBe('validation');
    const report = r.json.details as Report;
    expect(report.applied).toBe(false);
    expect(report.rows).toBe(7);
    expect(report.errors.map((e) => [e.row, e.field])).toEqual([[3, 'sku'], [4, 'price'], [5, 'currency'], [6, 'sku'], [7, 'price'], [8, 'barcodes']]);
    expect(report.errors.find((e) => e.row === 6)?.message).toContain('row 2');
    expect(await skus(t.tenantId)).toEqual(before);
  });

  it('with mode=valid_rows applies the good rows and reports the rest', async () => {
    const r = await csv(t.tenantId, bad, 'valid_rows');
    expect(r.status).toBe(200);
    const report = r.json as unknown as Report;
    expect(report).toMatchObject({ applied: true, inserted: 1, rejected: 6 });
    const list = (await skus(t.tenantId)).map((p) => p.sku);
    expect(list).toContain('OK-1');
    expect(list).not.toContain('OK-5');
  });

  it('refuses malformed files: unknown or missing columns, ragged rows, open quotes, wrong content type', async () => {
    const cases: [string, number, string][] = [
      ['sku,name,price,currency\nA,B,1,USD\n', 1, 'name'],
      ['sku,name_en,price\nA,B,1\n', 1, 'currency'],
      ['sku,name_en,price,currency\nA,B,1\n', 2, '(row)'],
      ['sku,name_en,price,currency\n"A,B,1,USD\n', 2, '(file)'],
      ['', 1, '(file)'],
    ];
    for (const [text, row, field] of cases) {
      const r = await csv(t.tenantId, text);
      expect(r.status, text).toBe(400);
      expect((r.json.details as Report).errors[0], text).toMatchObject({ row, field });
    }
    const wrongType = await h.call('POST', `/v1/admin/tenants/${t.tenantId}/products/import`, { raw: 'sku\nA', type: 'application/xml', token: 'test-admin-token-0123456789abcdef' });
    expect(wrongType.status).toBe(415);
    expect(wrongType.json.code).toBe('validation');
  });

  it('keeps tenants apart: another tenant sees none of these products and cannot be written through this one', async () => {
    const other = await adminTenant(h, 'Other shop');
    expect(await skus(other.tenantId)).toEqual([]);
    const missing = await csv('0190f0f0-0000-7000-8000-000000000000', 'sku,name_en,price,currency\nA,B,1,USD\n');
    expect(missing.status).toBe(404);
  });
});
