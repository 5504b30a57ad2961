/**
 * Who is asking: the POS with the API key, or the cashier signed in to the admin. The request edge
 * (lib/http) and the services both speak of it, so it lives below both rather than in lib/auth.
 */
export type Principal = "api" | "cashier";
