import type { Pool } from 'pg';

/** The SKUs of a scenario, each listed with its stock. */
export interface SkuLoad {
  items: readonly { sku: string; stock: number }[];
}

export type PurchaseOutcome = 'sold' | 'out_of_stock';

/** What the database (and, for Tally, the read model) holds after a cell. */
export interface SkuCheck {
  /** Purchases the system acknowledged (warm-up included). */
  acknowledged: number;
  /** Units the database recorded as sold. */
  sold: number;
  /** Units sold beyond the stock, over all SKUs. */
  oversold: number;
  /** Acknowledged purchases missing from the database, or recorded with a wrong remaining stock. */
  lost: number;
  problems: string[];
  lagP50Ms: number | null;
  lagP99Ms: number | null;
  lagSamples: number;
  /** Purchases per writing transaction (null: one per transaction). */
  perTransaction: number | null;
}

export interface SkuSession {
  pool: Pool;
  /** One purchase of quantity 1. */
  purchase(sku: string, client: number): Promise<PurchaseOutcome>;
  check(window: { start: number; end: number }): Promise<SkuCheck>;
  close(): Promise<void>;
}

export interface SkuSystem {
  name: string;
  description: string;
  /** Creates the schema and lists every SKU of `load` in the fresh database at `url`. */
  setup(url: string, load: SkuLoad): Promise<void>;
  open(url: string, poolSize: number, load: SkuLoad): Promise<SkuSession>;
}
