/*
 * Prometheus metrics in the text exposition format (0.0.4), hand-written: a
 * few counters, one histogram and gauges read at scrape time are all the
 * service needs, and the format is a page of spec.
 */

type Labels = Record<string, string>;

function labelKey(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  return keys.map((k) => `${k}="${String(labels[k]).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',');
}

function line(name: string, key: string, value: number): string {
  return `${name}${key ? `{${key}}` : ''} ${Number.isFinite(value) ? value : 0}`;
}

export class Counter {
  private readonly values = new Map<string, number>();
  constructor(readonly name: string, readonly help: string) {}
  inc(labels: Labels = {}, by = 1): void {
    const k = labelKey(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  get(labels: Labels = {}): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }
  render(): string[] {
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [k, v] of this.values) out.push(line(this.name, k, v));
    return out;
  }
}

export class Histogram {
  private readonly series = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(readonly name: string, readonly help: string, readonly buckets: number[]) {}
  observe(labels: Labels, value: number): void {
    const k = labelKey(labels);
    let s = this.series.get(k);
    if (!s) {
      s = { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(k, s);
    }
    for (let i = 0; i < this.buckets.length; i += 1) if (value <= (this.buckets[i] ?? Infinity)) s.counts[i] = (s.counts[i] ?? 0) + 1;
    s.sum += value;
    s.count += 1;
  }
  render(): string[] {
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [k, s] of this.series) {
      const sep = k ? `${k},` : '';
      this.buckets.forEach((b, i) => out.push(`${this.name}_bucket{${sep}le="${b}"} ${s.counts[i] ?? 0}`));
      out.push(`${this.name}_bucket{${sep}le="+Inf"} ${s.count}`);
      out.push(line(`${this.name}_sum`, k, s.sum));
      out.push(line(`${this.name}_count`, k, s.count));
    }
    return out;
  }
}

/** A value read when scraped (e.g. the outbox backlog); a failing read is reported as absent, never fails the scrape. */
export interface GaugeSource {
  name: string;
  help: string;
  read(): Promise<number>;
}

export class Metrics {
  readonly httpRequests = new Counter('branchpos_http_requests_total', 'HTTP requests by method, route and status.');
  readonly httpDuration = new Histogram('branchpos_http_request_duration_seconds', 'HTTP request duration by method and route.',
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
  readonly opsApplied = new Counter('branchpos_sync_ops_total', 'Pushed operations by outcome (applied, refused, duplicate).');
  readonly pushBatches = new Counter('branchpos_sync_push_batches_total', 'Push batches by result (ok, sequence_gap, op_conflict, refused, unavailable).');
  readonly enrollments = new Counter('branchpos_device_enrollments_total', 'Enrollment attempts by result.');
  readonly outboxEvents = new Counter('branchpos_outbox_events_total', 'Outbox events handled by this process, by result (processed, retried, dead).');
  private readonly gauges: GaugeSource[] = [];

  addGauge(g: GaugeSource): void {
    this.gauges.push(g);
  }

  async render(): Promise<string> {
    const out = [
      ...this.httpRequests.render(), ...this.httpDuration.render(), ...this.opsApplied.render(),
      ...this.pushBatches.render(), ...this.enrollments.render(), ...this.outboxEvents.render(),
    ];
    for (const g of this.gauges) {
      out.push(`# HELP ${g.name} ${g.help}`, `# TYPE ${g.name} gauge`);
      try {
        out.push(line(g.name, '', await g.read()));
      } catch {
        // Absent rather than a wrong zero: alerting on absent() then tells the truth.
      }
    }
    const mem = process.memoryUsage();
    out.push('# HELP process_resident_memory_bytes Resident memory size in bytes.', '# TYPE process_resident_memory_bytes gauge', line('process_resident_memory_bytes', '', mem.rss));
    out.push('# HELP process_uptime_seconds Seconds since the process started.', '# TYPE process_uptime_seconds gauge', line('process_uptime_seconds', '', process.uptime()));
    return `${out.join('\n')}\n`;
  }
}
