import { adminMigration } from '../../admin/migration';
import { migration0001 } from './0001_core';
import { purchaseOrdersMigration } from './0003_purchase_orders';
import { summaryCoveringIndexMigration } from './0004_summary_covering_index';
import { applyDeltasFunctionMigration } from './0005_apply_deltas_function';
import { inventorySummaryFunctionMigration } from './0006_inventory_summary_function';

export interface Migration {
  /** Strictly increasing from 1, without gaps; never edit a released migration, append a new one. */
  version: number;
  name: string;
  /** One or more statements; applied in one transaction with the version row. */
  sql: string;
}

/**
 * The ordered list of schema migrations. Append new ones at the end (the HTTP
 * and admin side adds its own tables here too). Tables added later must enable
 * and FORCE row-level security with the same tenant policy (see `tenantPolicySql`).
 */
export const migrations: readonly Migration[] = [
  migration0001,
  adminMigration(2),
  purchaseOrdersMigration(3),
  summaryCoveringIndexMigration(4),
  applyDeltasFunctionMigration(5),
  inventorySummaryFunctionMigration(6),
];

export { tenantPolicySql } from './policy';
