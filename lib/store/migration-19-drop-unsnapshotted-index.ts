import type { Migration } from "./migration-types";

/**
 * The outbox's index of events without data served only a listing nothing reads: the feed and the
 * deliveries go by seq, and an event's data is set by its seq. Every append paid for it.
 */
export const MIGRATION_19_DROP_UNSNAPSHOTTED_INDEX: Migration = {
  version: 19,
  sqlite: ["DROP INDEX pos_events_unsnapshotted"],
  postgresql: ["DROP INDEX pos_events_unsnapshotted"],
};
