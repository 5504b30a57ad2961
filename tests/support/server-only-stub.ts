// Vitest runs server modules directly; "server-only" guards only the browser bundle, so it is empty here.
export {};
