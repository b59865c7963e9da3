import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-server/db/database';
import { latestVersion } from '../../../src-server/db/migrate';
import { migrations } from '../../../src-server/db/migrations/index';
import { createTestDatabase, databaseKinds } from '../support/databases';

describe('migrations', () => {
  it('are numbered from 1 without gaps', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it.each(databaseKinds)('(%s) record the current version once, and a reopen applies nothing new', async (kind) => {
    const t = await createTestDatabase(kind);
    try {
      const r = await t.db.withoutTenant((tx) => tx.query<{ v: number; n: number }>('SELECT max(version)::int AS v, count(*)::int AS n FROM schema_migrations'));
      expect(r.rows[0]).toEqual({ v: latestVersion(), n: migrations.length });
      if (kind === 'postgres') {
        const again = await t.openAnother(1);
        await again.ping();
      }
    } finally {
      await t.drop();
    }
  });
});

describe.runIf(databaseKinds.includes('postgres'))('PostgreSQL roles and versions', () => {
  it('refuses a database written by a newer version of the server, and the superuser or owner as the app role', async () => {
    const t = await createTestDatabase('postgres');
    try {
      const su = new pg.Client({ connectionString: t.superUrl });
      await su.connect();
      try {
        await expect(openDatabase({ databaseUrl: t.superUrl })).rejects.toThrow(/superuser/);
        const ownerUrl = t.superUrl!.replace('postgres@', 'branchpos_owner@');
        await expect(openDatabase({ databaseUrl: ownerUrl })).rejects.toThrow(/owns/);
        await su.query(`INSERT INTO schema_migrations (version, name) VALUES ($1, 'from the future')`, [latestVersion() + 1]);
        await expect(openDatabase({ databaseUrl: t.appUrl })).rejects.toMatchObject({ code: 'database_newer' });
      } finally {
        await su.end();
      }
    } finally {
      await t.drop();
    }
  });

  it('refuses to start on an unmigrated database without the owner URL', async () => {
    const t = await createTestDatabase('postgres');
    try {
      const su = new pg.Client({ connectionString: t.superUrl });
      await su.connect();
      try {
        await su.query('DELETE FROM schema_migrations WHERE version = $1', [latestVersion()]);
      } finally {
        await su.end();
      }
      await expect(openDatabase({ databaseUrl: t.appUrl })).rejects.toThrow(/owner/);
    } finally {
      await t.drop();
    }
  });
});
