// Named positions in external feeds, such as the Okta System Log's `next` link, kept across restarts.
import type { Knex } from 'knex';

interface CheckpointRow {
  name: string;
  value: string;
  updated_at: string;
}

/** The `checkpoints` table: one value per name, replaced on each save (the System Log reader's SystemLogCheckpoints). */
export class CheckpointStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The value last saved under `name`, or null when none was. */
  async get(name: string): Promise<string | null> {
    const row = await this.db<CheckpointRow>('checkpoints').where({ name }).first('value');
    return row?.value ?? null;
  }

  /** When the checkpoint was last saved (ISO 8601), or null when it never was. */
  async updatedAt(name: string): Promise<string | null> {
    const row = await this.db<CheckpointRow>('checkpoints').where({ name }).first('updated_at');
    return row?.updated_at ?? null;
  }

  /** Saves `value` under `name` (replacing any earlier one), stamped with the store's clock. */
  async set(name: string, value: string): Promise<void> {
    const updatedAt = this.now().toISOString();
    await this.db<CheckpointRow>('checkpoints')
      .insert({ name, value, updated_at: updatedAt })
      .onConflict('name')
      .merge(['value', 'updated_at']);
  }
}
