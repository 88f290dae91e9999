// A tiny typed event emitter for the core (which cannot use vscode.EventEmitter).
// Listeners are isolated: one that throws does not stop the others, and its error goes to `onListenerError`
// instead of escaping into the socket or timer callback that fired the event.

export interface Disposable {
  dispose(): void;
}

type Listener<T> = (value: T) => void;

export class Emitter<Events extends { [K in keyof Events]: unknown }> implements Disposable {
  private listeners = new Map<keyof Events, Set<Listener<never>>>();

  constructor(private readonly onListenerError: (error: unknown, event: keyof Events) => void = () => {}) {}

  /** Subscribes; the returned Disposable unsubscribes (safe to call twice). */
  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): Disposable {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const entry = listener as Listener<never>;
    set.add(entry);
    return { dispose: () => void this.listeners.get(event)?.delete(entry) };
  }

  /** Subscribes for a single delivery. */
  once<K extends keyof Events>(event: K, listener: Listener<Events[K]>): Disposable {
    const sub = this.on(event, (value) => {
      sub.dispose();
      listener(value);
    });
    return sub;
  }

  emit<K extends keyof Events>(event: K, value: Events[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    // Copy: a listener may unsubscribe (or subscribe) while we iterate.
    for (const listener of [...set]) {
      try {
        (listener as Listener<Events[K]>)(value);
      } catch (error) {
        try {
          this.onListenerError(error, event);
        } catch {
          // The error hook itself failed; nothing sensible is left to do with it.
        }
      }
    }
  }

  listenerCount(event: keyof Events): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  dispose(): void {
    this.listeners.clear();
  }
}
