/**
 * One step of a generated migration: the source lines of its `up` and of the
 * `down` that undoes it, what it costs, and in which phase it runs.
 */
export interface MigrationStep {
  /**
   * Steps run by phase, so dependencies hold: renames, then enum additions,
   * then what is dropped (foreign keys, indexes and constraints before the
   * tables and columns they sit on), then what is added (tables and columns
   * before the indexes, constraints and foreign keys over them), enum drops last.
   * The down runs the steps' downs in the reverse order.
   */
  readonly phase: number;
  /** For the CLI's list: `add column users.bio`. */
  readonly summary: string;
  readonly up: readonly string[];
  readonly down: readonly string[];
  /** Comments written above the up lines. */
  readonly notes?: readonly string[] | undefined;
  /** Why the up loses data or may refuse rows: written as `// DESTRUCTIVE: …` and flagged in the output. */
  readonly destructive?: string | undefined;
  /** What the down cannot bring back (a dropped column's data): a comment above the down lines, and a line in the output. */
  readonly downCannot?: string | undefined;
  /** What may make the down fail (a NOT NULL set again, a type narrowed back): comments above the down lines. */
  readonly downNotes?: readonly string[] | undefined;
}

/** The phases, in the order they run (see MigrationStep.phase). */
export const PHASE = {
  rename: 0,
  enumAdd: 1,
  dropForeignKey: 2,
  dropIndexOrConstraint: 3,
  dropPrimaryKey: 4,
  dropTable: 5,
  addTable: 6,
  column: 7,
  addPrimaryKey: 8,
  addIndexOrConstraint: 9,
  addForeignKey: 10,
  enumDrop: 11,
} as const;
