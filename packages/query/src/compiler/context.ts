/** Accumulates SQL text and parameter values while a tree is compiled. */
export class CompileContext {
  readonly values: unknown[] = [];
  private readonly parts: string[] = [];

  write(text: string): this {
    this.parts.push(text);
    return this;
  }

  /** Adds a parameter and writes its `$n` placeholder. */
  param(value: unknown): this {
    this.values.push(value);
    this.parts.push(`$${this.values.length}`);
    return this;
  }

  get text(): string {
    return this.parts.join('');
  }
}
