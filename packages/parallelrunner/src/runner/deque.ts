/**
 * A double-ended queue on a growable ring buffer: O(1) push/unshift/shift, no array shifting.
 * The runner's queue: tests are taken from the front, rescheduled ones go back to the front.
 */
export class Deque<T> {
  #items: (T | undefined)[];
  #head = 0;
  #size = 0;

  constructor(initial: readonly T[] = []) {
    let capacity = 16;
    while (capacity < initial.length + 1) capacity *= 2;
    this.#items = new Array<T | undefined>(capacity);
    for (const item of initial) this.push(item);
  }

  get length(): number {
    return this.#size;
  }

  /** Add to the back. */
  push(item: T): void {
    this.#grow();
    this.#items[(this.#head + this.#size) & (this.#items.length - 1)] = item;
    this.#size++;
  }

  /** Add to the front. */
  unshift(item: T): void {
    this.#grow();
    this.#head = (this.#head - 1) & (this.#items.length - 1);
    this.#items[this.#head] = item;
    this.#size++;
  }

  /** Remove and return the front item, or `undefined` when empty. */
  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) & (this.#items.length - 1);
    this.#size--;
    return item;
  }

  /** Remove and return every item, front first. */
  drain(): T[] {
    const out: T[] = [];
    for (let item = this.shift(); item !== undefined; item = this.shift()) out.push(item);
    return out;
  }

  #grow(): void {
    const capacity = this.#items.length;
    if (this.#size < capacity) return;
    const next = new Array<T | undefined>(capacity * 2);
    for (let i = 0; i < this.#size; i++) next[i] = this.#items[(this.#head + i) & (capacity - 1)];
    this.#items = next;
    this.#head = 0;
  }
}
