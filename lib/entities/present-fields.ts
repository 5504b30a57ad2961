/** A value that stands for "not given": a NULL column, an optional field left out, an empty text. */
type Absent = null | undefined | "";

/**
 * The given fields that have a value, for spreading into an object with optional fields: a NULL
 * column or an empty input becomes no property at all, never `field: null` or `field: ""`.
 */
export function presentFields<T extends Record<string, unknown>>(
  fields: T,
): { [K in keyof T]?: Exclude<T[K], Absent> } {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== null && value !== undefined && value !== ""),
  ) as { [K in keyof T]?: Exclude<T[K], Absent> };
}
