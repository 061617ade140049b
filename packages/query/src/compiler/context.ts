import type { CteSpec } from '../nodes/cte.js';
import type { SharedExpressions } from './shared-expressions.js';

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
  /** Placeholders written so far, new or shared: text holding one is never cached. */
  private refs = 0;
  /** The expressions of the SELECT clause being written that must keep one text (shared-expressions.ts). */
  shared: SharedExpressions | undefined;
  /** CTEs of the enclosing statements' WITH clauses: a nested statement does not emit one of them again. */
  readonly ctes: CteSpec[] = [];

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
    this.refs++;
    return `$${this.values.push(value)}`;
  }

  /** Writes text written before in this statement, placeholders included. */
  writeAgain(text: string): this {
    this.refs++;
    this.parts.push(text);
    return this;
  }

  /** Where the text stands now, for `since()`. */
  mark(): number {
    return this.parts.length;
  }

  /** The text written since `mark`. */
  since(mark: number): string {
    return this.parts.slice(mark).join('');
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
    const refs = this.refs;
    emit();
    if (this.refs === refs) fragments.set(key, this.parts.slice(start).join(''));
    return this;
  }

  get text(): string {
    return this.parts.join('');
  }
}
