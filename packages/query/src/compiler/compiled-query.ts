/** SQL text with `$n` placeholders and the values that fill them, ready for the driver. */
export interface CompiledQuery {
  readonly text: string;
  readonly values: readonly unknown[];
}
