/** What a database holds, as its catalog reports it: the input of the migration planner (migrations.ts). */
export interface ExistingColumn {
  readonly name: string;
  /** The declared type as the catalog reports it (any case). */
  readonly type: string;
  readonly notNull: boolean;
}

export interface ExistingSchema {
  /** Table name → its columns. */
  readonly tables: ReadonlyMap<string, readonly ExistingColumn[]>;
  /** Index name → the table it belongs to. */
  readonly indexes: ReadonlyMap<string, string>;
}
