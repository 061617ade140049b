/** `joinedAt` → `joined_at`, `HTTPStatus` → `http_status`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * Names a field may not take because models already use them, statically or
 * on instances. Everything a model class or instance exposes is here.
 */
export const RESERVED_MEMBERS: ReadonlySet<string> = new Set([
  // statics
  'select',
  'create',
  'createSync',
  'insert',
  'insertSync',
  'insertMany',
  'insertFrom',
  'update',
  'delete',
  'get',
  'getSync',
  'getOrNone',
  'getOrNoneSync',
  'getById',
  'getByIdSync',
  'getOrCreate',
  'getOrCreateSync',
  'bulkUpdate',
  'createTable',
  'createTableSync',
  'dropTable',
  'dropTableSync',
  'truncate',
  'truncateSync',
  'alias',
  'DoesNotExist',
  'name',
  'length',
  'prototype',
  'bind',
  'apply',
  'call',
  'caller',
  'arguments',
  'table',
  'fields',
  'database',
  'meta',
  // instance
  'save',
  'saveSync',
  'deleteInstance',
  'deleteInstanceSync',
  'refresh',
  'refreshSync',
  'toJSON',
  'load',
  'isDirty',
  'dirtyFields',
  'constructor',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'then',
  '__proto__',
]);
