import "server-only";
import { processLogger } from "@/lib/log";
/**
 * Live events inside one process. Behind an interface so that several app instances can later
 * share a bus (PostgreSQL LISTEN/NOTIFY, Redis) without touching publishers or the SSE route.
 */
export interface EventBus<T> {
  publish(topic: string, payload: T): void;
  /** Returns the unsubscribe function. */
  subscribe(topic: string, listener: (payload: T) => void): () => void;
  subscriberCount(topic?: string): number;
}

export class InProcessEventBus<T> implements EventBus<T> {
  private readonly topics = new Map<string, Set<(payload: T) => void>>();

  publish(topic: string, payload: T): void {
    const listeners = this.topics.get(topic);
    if (!listeners) return;
    for (const listener of [...listeners]) {
      try {
        listener(payload);
      } catch (error) {
        // A broken subscriber must not stop delivery to the others. The streams subscribed here
        // stop themselves when their client has gone, so one that throws is a fault worth a line.
        processLogger().warn("A subscriber of a live event failed", { topic, err: error });
      }
    }
  }

  subscribe(topic: string, listener: (payload: T) => void): () => void {
    let listeners = this.topics.get(topic);
    if (!listeners) {
      listeners = new Set();
      this.topics.set(topic, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.topics.delete(topic);
    };
  }

  subscriberCount(topic?: string): number {
    if (topic) return this.topics.get(topic)?.size ?? 0;
    let total = 0;
    for (const listeners of this.topics.values()) total += listeners.size;
    return total;
  }
}

export const terminalTopic = (terminalId: string) => `terminal:${terminalId}`;
