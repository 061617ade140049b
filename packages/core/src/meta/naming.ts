/** `joinedAt` → `joined_at`, `HTTPStatus` → `http_status`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * Property names a field may not take on instances, because every instance
 * already answers to them: the instance methods of models, `then` (an
 * instance must never look like a promise) and what every object inherits.
 * Statics never refuse a name: a field whose name a class already has
 * (`name`, `length`, `select`, …) is reached as `Model.c.<field>` only.
 */
export function reservedInstanceNames(modelPrototype: object): ReadonlySet<string> {
  return new Set([...Object.getOwnPropertyNames(modelPrototype), ...Object.getOwnPropertyNames(Object.prototype), 'then']);
}
