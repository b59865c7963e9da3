import { describe, expect, it } from 'vitest';
import { baselineKey, formatTable, judgeRun, lastJsonLine, mergeFigures, ratioOf, tableRows, type BenchRun } from './merge';

const store: BenchRun = judgeRun('store', 0, 'branch store ...\n1-line sale  3000/s\n{"products":100000,"sale_tps":2800,"raw_sale_tps":3100,"ratio":0.903,"search_p99_ms":0.4}\n');
const server: BenchRun = judgeRun('server', 0, '{"database":"postgres","push_ops_per_s":1500,"raw_ops_per_s":2000,"ratio":0.75}\n');
const ui: BenchRun = judgeRun('ui', 0, '{"products":100000,"scan_to_cart_p99_ms":12,"search_p99_ms":20,"http_lookup_p99_ms":4,"raw_lookup_p99_ms":0.01}');

describe('bench merge', () => {
  it('reads the last non-empty stdout line as a JSON object, and nothing else', () => {
    expect(lastJsonLine('table\n{"a":1}\n\n')).toEqual({ a: 1 });
    expect(lastJsonLine('{"a":1}\ndone\n')).toBeNull();
    expect(lastJsonLine('[1,2]\n')).toBeNull();
    expect(lastJsonLine('')).toBeNull();
  });

  it('judges a run failed on a non-zero exit or a missing JSON line, keeping what figures it printed', () => {
    expect(store.error).toBeUndefined();
    const crashed = judgeRun('sync', 1, 'Error: boom\n');
    expect(crashed.error).toBe('exit code 1; no JSON object on its last stdout line');
    const flagged = judgeRun('sync', 1, '{"errors_5xx":3}\n');
    expect(flagged.error).toBe('exit code 1');
    expect(flagged.figures).toEqual({ errors_5xx: 3 });
    expect(judgeRun('ui', null, '', 'SIGKILL').error).toMatch(/killed by SIGKILL/);
  });

  it('prefixes a key with its bench only where two benches report it', () => {
    const merged = mergeFigures([store, server, ui]);
    expect(merged).toMatchObject({
      'store.products': 100000, 'ui.products': 100000, 'store.ratio': 0.903, 'server.ratio': 0.75,
      'store.search_p99_ms': 0.4, 'ui.search_p99_ms': 20, sale_tps: 2800, database: 'postgres', push_ops_per_s: 1500,
    });
    expect(merged).not.toHaveProperty('ratio');
    expect(mergeFigures([server])).toHaveProperty('ratio', 0.75);
  });

  it('pairs figures with the raw baseline of the same run', () => {
    expect(baselineKey('store', 'sale_tps', store.figures ?? {})).toBe('raw_sale_tps');
    expect(baselineKey('store', 'raw_sale_tps', store.figures ?? {})).toBeNull();
    expect(baselineKey('server', 'push_ops_per_s', server.figures ?? {})).toBe('raw_ops_per_s');
    expect(baselineKey('ui', 'scan_to_cart_p99_ms', ui.figures ?? {})).toBe('http_lookup_p99_ms');
    expect(baselineKey('ui', 'sale_to_receipt_p99_ms', { sale_to_receipt_p99_ms: 30, http_lookup_p99_ms: 4 })).toBe('http_lookup_p99_ms');
    expect(baselineKey('ui', 'sale_to_receipt_p99_ms', { sale_to_receipt_p99_ms: 30, http_lookup_p99_ms: 4, raw_sell_p99_ms: 7 })).toBe('raw_sell_p99_ms');
    expect(ratioOf(1500, 2000)).toBe(0.75);
    expect(ratioOf(1, 0)).toBeNull();
    expect(ratioOf('postgres', 1)).toBeNull();
  });

  it('tables every figure, with failed benches named', () => {
    const failed = judgeRun('sync', 1, 'Error\n');
    const rows = tableRows([store, failed, server]);
    expect(rows.find((r) => r.figure === 'sale_tps')).toMatchObject({ value: '2,800', baseline: 'raw_sale_tps = 3,100', ratio: 'x0.903' });
    expect(rows.find((r) => r.bench === 'sync')).toMatchObject({ figure: 'FAILED' });
    expect(rows.filter((r) => r.bench === 'server')).toHaveLength(4);
    const text = formatTable([store, failed, server]);
    expect(text.split('\n')[0]).toMatch(/^bench\s+figure\s+value\s+raw baseline \(same run\)\s+ratio$/);
    expect(text).toContain('push_ops_per_s');
  });
});
