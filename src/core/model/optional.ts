/**
 * `{ [key]: value }`, or `{}` when the value is undefined: with exactOptionalPropertyTypes an
 * optional property may be absent but never `undefined`, so options are spread from this.
 */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
