/** Options of `nx g @haidang/nx-plugin:service` (schema.json). */
export interface ServiceGeneratorSchema {
  /** kebab-case, e.g. `employment`, `cross-border`. */
  readonly name: string;
  readonly port: number;
  /** PascalCase; default `<Name>Record`. */
  readonly aggregate?: string;
  /** Plural kebab-case path segment; default derived from the aggregate. */
  readonly plural?: string;
  /** Agency type that manages the aggregate; default DOLISA. */
  readonly agency?: string;
}
