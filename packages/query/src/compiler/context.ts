/**
 * SQL written for parts of trees that hold no values, keyed by the frozen node
 * (or node list) it came from. Nodes never change, so the text stays right for
 * as long as the node lives; models share their column nodes and lists, so
 * every query over a model reuses their quoted text.
 */
const fragments = new WeakMap<object, string>();

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
    this.parts.push(this.placeholder(value));
    return this;
  }

  /** Adds a parameter and returns its `$n` placeholder without writing it (for callers that build a run of text). */
  placeholder(value: unknown): string {
    return `$${this.values.push(value)}`;
  }

  /**
   * Writes what `emit` writes for `key`, from the cache when `key` was compiled
   * before; caches it when it added no parameter (text with `$n` depends on
   * where it stands in the statement).
   */
  reuse(key: object, emit: () => void): this {
    const cached = fragments.get(key);
    if (cached !== undefined) {
      this.parts.push(cached);
      return this;
    }
    const start = this.parts.length;
    const params = this.values.length;
    emit();
    if (this.values.length === params) fragments.set(key, this.parts.slice(start).join(''));
    return this;
  }

  get text(): string {
    return this.parts.join('');
  }
}
