/**
 * The API keys the simulator accepts and the sales units (MSNs) each set of keys may act for, like
 * Vipps' portal links keys to sales units. It starts with the configured credentials; an app that
 * embeds the simulator adds its stores' keys as they are saved (Simulator.acceptCredentials). A set
 * of keys linked to several MSNs is a partner's: without a Merchant-Serial-Number it acts for all
 * of them at once (its webhook registration covers every one).
 */
import { safeEqual } from "../safe-equal";
import type { SimulatorCredentials } from "./settings";
import { subscriptionKeyHash } from "./tokens";

export interface KeySet {
  clientId: string;
  clientSecret: string;
  subscriptionKey: string;
  msns: Set<string>;
  /** What a registration made with these keys and no MSN is filed under: "keys:" and the key's hash. */
  scope: string;
}

/** What the simulator noted of one call about a payment: which keys and which sales unit it came with. */
export interface NotedCall {
  operation: string;
  msn: string;
  clientId: string;
  at: string;
}

const NOTED_REFERENCES = 5_000;

export class SimulatorKeyring {
  private readonly sets: KeySet[] = [];
  /** In memory, newest references last: for the /_sim payment view only. */
  private readonly calls = new Map<string, NotedCall[]>();

  constructor(private readonly primary: SimulatorCredentials) {
    this.accept(primary);
  }

  /** The configured sales unit: what the /_sim controls act on when a reference is under several. */
  get primaryMsn(): string {
    return this.primary.msn;
  }

  /** Accepts these keys (from now on) and links the MSN to them; keys already known keep their other MSNs. */
  accept(credentials: SimulatorCredentials): void {
    let set = this.sets.find((candidate) => candidate.subscriptionKey === credentials.subscriptionKey);
    if (set && (set.clientId !== credentials.clientId || set.clientSecret !== credentials.clientSecret)) {
      // New client id or secret for the same subscription key: the new ones replace the old.
      set.clientId = credentials.clientId;
      set.clientSecret = credentials.clientSecret;
    }
    if (!set) {
      set = {
        clientId: credentials.clientId,
        clientSecret: credentials.clientSecret,
        subscriptionKey: credentials.subscriptionKey,
        msns: new Set(),
        scope: `keys:${subscriptionKeyHash(credentials.subscriptionKey)}`,
      };
      this.sets.push(set);
    }
    set.msns.add(credentials.msn);
  }

  bySubscriptionKey(subscriptionKey: string): KeySet | undefined {
    return this.sets.find((set) => safeEqual(set.subscriptionKey, subscriptionKey));
  }

  /** The scopes of every set of keys the MSN is linked to: their MSN-less registrations get its events. */
  scopesOf(msn: string): string[] {
    return this.sets.filter((set) => set.msns.has(msn)).map((set) => set.scope);
  }

  note(reference: string, call: NotedCall): void {
    const list = this.calls.get(reference) ?? [];
    if (list.length === 0 && this.calls.size >= NOTED_REFERENCES) {
      const oldest = this.calls.keys().next().value;
      if (oldest !== undefined) this.calls.delete(oldest);
    }
    list.push(call);
    this.calls.set(reference, list);
  }

  notedCalls(reference: string): NotedCall[] {
    return this.calls.get(reference) ?? [];
  }
}
