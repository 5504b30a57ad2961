import { z } from "zod";

/**
 * The schemas the POS API's OpenAPI document names under components/schemas, by the name given
 * here. Requests are read as a client writes them (defaults optional, before transforms);
 * responses as the server writes them: two registries, so that each is converted the one way.
 */
export const requestComponents = z.registry<{ id: string }>();
export const responseComponents = z.registry<{ id: string }>();
