/** Names in generated model source: properties, classes, files. */

/** What pewit refuses as a field name (every instance already answers to it). */
const RESERVED_PROPERTIES = new Set([
  'save',
  'saveSync',
  'refresh',
  'refreshSync',
  'load',
  'deleteInstance',
  'deleteInstanceSync',
  'isDirty',
  'toJSON',
  'then',
  'constructor',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__proto__',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

/** Words TypeScript does not take as a class name. */
const RESERVED_WORDS = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in ' +
    'instanceof new null return super switch this throw true try typeof var void while with implements interface let package private ' +
    'protected public static yield await any boolean number string symbol object never unknown'
  ).split(' '),
);

/** `joinedAt` → `joined_at`, exactly as core derives a column from a property. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** `joined_at` → `joinedAt`; anything that is not a letter or digit separates words; never empty, never a leading digit. */
export function camelCase(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const out = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join('');
  if (out === '') return 'column';
  return /^[0-9]/.test(out) ? `c${out}` : out;
}

export const pascalCase = (name: string) => {
  const c = camelCase(name);
  return c.charAt(0).toUpperCase() + c.slice(1);
};

/** `film_actor` → `film-actor` (file names). */
export const kebabCase = (name: string) => snakeCase(camelCase(name)).replace(/_/g, '-');

/** Whether a property name would be refused by `model()`. */
export const reservedProperty = (name: string) => RESERVED_PROPERTIES.has(name);

/** A class name that is an identifier and not a reserved word nor one of `taken` (imports, other classes). */
export function uniqueName(base: string, taken: Set<string>): string {
  let name = RESERVED_WORDS.has(base.toLowerCase()) ? `${base}Model` : base;
  for (let i = 2; taken.has(name); i++) name = `${base}${i}`;
  taken.add(name);
  return name;
}

/** A string as a single-quoted TypeScript literal. */
export const literal = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;

/** SQL text as the body of a `sql\`…\`` template: its backslashes, backticks and `${` kept literal. */
export const templateBody = (text: string) => text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
