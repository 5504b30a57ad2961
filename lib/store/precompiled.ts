import "server-only";
import type { Compilable, CompiledQuery, Kysely } from "kysely";

/** Stands for the n-th value of a run: Kysely binds it as a parameter like any value. */
class Slot {
  constructor(readonly index: number) {}
}

/**
 * A query built and compiled to SQL once, then run with new values. Kysely otherwise builds the
 * query's tree and compiles it on every call, which in the burst profile (docs/perf/burst.md) cost
 * about as much as running the statement. For the store's hottest reads only, and only queries
 * whose shape does not depend on their values (no lists of varying length, no optional parts).
 *
 * `build` is called once, with placeholders in place of the values; each run binds its values
 * where the placeholders went. The compiled SQL is the store's own dialect.
 */
export function precompiled<DB, Row, Args extends readonly unknown[]>(
  db: Kysely<DB>,
  arity: Args["length"],
  build: (...values: Args) => Compilable<Row>,
): (...values: Args) => Promise<Row[]> {
  let compiled: CompiledQuery<Row> | undefined;
  return async (...values) => {
    compiled ??= build(...(Array.from({ length: arity }, (_, index) => new Slot(index)) as unknown as Args)).compile();
    const parameters = compiled.parameters.map((parameter) =>
      parameter instanceof Slot ? values[parameter.index] : parameter,
    );
    const result = await db.executeQuery<Row>({ ...compiled, parameters });
    return result.rows;
  };
}
