/**
 * The checks of a webhook registration request (Webhooks API v1): the events, and a URL Vipps would
 * accept, with http:// allowed here for hosts on the local network so that a developer's machine
 * can receive the simulator's deliveries.
 */
import { WEBHOOK_EVENT_TYPE_TO_NAME } from "../vipps/schemas";
import { badRequest, type ExtraDetail, isPlainObject } from "./http";
import type { EventName } from "./store";

/** The ePayment event types a registration may subscribe to, mapped to the event names. */
export const EPAYMENT_EVENT_TYPES: Record<string, EventName> = WEBHOOK_EVENT_TYPE_TO_NAME;
/** Every event type a registration may name: ePayment's and the QR API's check-in. */
const REGISTRABLE_EVENT_TYPES: readonly string[] = [...Object.keys(EPAYMENT_EVENT_TYPES), "user.checked-in.v1"];

function ipv4Octets(host: string): number[] | undefined {
  const parts = host.split(".");
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part))) return undefined;
  const octets = parts.map(Number);
  return octets.every((octet) => octet <= 255) ? octets : undefined;
}

/** Loopback, private (RFC 1918), link-local and CGNAT addresses, plus LAN-style host names. */
export function isLocalNetworkHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  if (host === "localhost" || /\.(localhost|local|lan|internal|home\.arpa)$/.test(host)) return true;
  const v4 = ipv4Octets(host.startsWith("::ffff:") ? host.slice(7) : host);
  if (v4) {
    const [a, b] = v4 as [number, number, number, number];
    return (
      a === 127 ||
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (host.includes(":")) return host === "::1" || /^f[cd][0-9a-f]{2}:/.test(host) || /^fe[89ab][0-9a-f]:/.test(host);
  // A single-label name (e.g. a docker-compose service) can only resolve on the local network.
  return !host.includes(".");
}

function checkWebhookUrl(value: unknown): string | undefined {
  if (value === undefined || value === null || value === "") return "The url field is required.";
  if (typeof value !== "string") return "The url field must be a string.";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "The url field is not a valid absolute URL.";
  }
  if (url.username || url.password) return "The url must not contain credentials.";
  if (url.hash) return "The url must not contain a fragment.";
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:") {
    return isLocalNetworkHost(url.hostname)
      ? undefined
      : "The URL must use HTTPS. (The simulator also accepts http:// for loopback and private-network hosts.)";
  }
  return "The URL must use HTTPS.";
}

/** The url and events of a RegisterRequest, or a 400 that lists every problem found. */
export function validateRegisterRequest(raw: unknown, bodyPresent: boolean): { url: string; events: string[] } {
  const issues: ExtraDetail[] = [];
  if (!bodyPresent || !isPlainObject(raw)) {
    throw badRequest("The request body must be a RegisterRequest object.", [
      { name: "body", reason: "A JSON object with url and events is required." },
    ]);
  }
  for (const key of Object.keys(raw)) {
    if (key !== "url" && key !== "events") issues.push({ name: key, reason: `Unknown property ${key}.` });
  }
  const urlIssue = checkWebhookUrl(raw.url);
  if (urlIssue) issues.push({ name: "url", reason: urlIssue });
  const events: string[] = [];
  if (!Array.isArray(raw.events) || raw.events.length === 0) {
    issues.push({ name: "events", reason: "The events field is required and must list at least one event type." });
  } else {
    raw.events.forEach((event, index) => {
      if (typeof event !== "string" || !REGISTRABLE_EVENT_TYPES.includes(event)) {
        issues.push({
          name: `events[${index}]`,
          reason: `Unsupported event type ${JSON.stringify(event)}. Supported: ${REGISTRABLE_EVENT_TYPES.join(", ")}.`,
        });
      } else if (!events.includes(event)) {
        events.push(event);
      }
    });
  }
  if (issues.length > 0) throw badRequest("One or more validation errors occurred.", issues);
  return { url: raw.url as string, events };
}
