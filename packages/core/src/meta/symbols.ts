/** Phantom static carrying a model's field map type. */
export const FIELDS: unique symbol = Symbol('pewit.fields');
/** Instance slot: field values by property name (foreign keys hold the raw key). */
export const VALUES: unique symbol = Symbol('pewit.values');
/** Instance slot: names of fields changed since the last load or save. */
export const DIRTY: unique symbol = Symbol('pewit.dirty');
/** Instance slot: related instances and lists loaded onto this instance. */
export const RELATED: unique symbol = Symbol('pewit.related');
/** Instance slot: true once the row exists in the database. */
export const PERSISTED: unique symbol = Symbol('pewit.persisted');
/** Phantom static carrying a model's composite key names (`false` for a one-field key), read by `KeyOf`. */
export const PRIMARY_KEY: unique symbol = Symbol('pewit.primaryKey');
