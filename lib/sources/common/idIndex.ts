/**
 * An exact index from strings (row IDs, patient IDs, duplicate fingerprints) to whole numbers,
 * held in two flat typed arrays instead of a `Map<string, …>`: the whole-export checks keep one
 * entry per row of a file (about 370,000 for the appointments of a 100,000-patient export), and a
 * `Map` or `Set` of strings costs about 60 bytes an entry (string header, hash-table slot), this
 * about 8 bytes of slot plus 2 bytes a character. Keys are compared character by character, so
 * two IDs never collide; nothing is hashed away.
 *
 * Entry layout in the arena (UTF-16 code units): value low 16 bits, value high 16 bits, length
 * low, length high, then the key's code units. A slot holds the entry's offset + 1 (0: empty).
 */
export class IdIndex {
	private slots: Int32Array;
	private arena: Uint16Array;
	private used = 0;
	private count = 0;

	constructor(initialSlots = 1024) {
		let capacity = 16;
		while (capacity < initialSlots) capacity *= 2;
		this.slots = new Int32Array(capacity);
		this.arena = new Uint16Array(capacity * 4);
	}

	get size(): number {
		return this.count;
	}

	has(key: string): boolean {
		return this.slots[this.find(key)] !== 0;
	}

	/** The key's value, or undefined when the key was never set. */
	get(key: string): number | undefined {
		const entry = this.slots[this.find(key)];
		return entry === 0 ? undefined : this.valueAt(entry - 1);
	}

	/**
	 * Sets the key's value (a 32-bit signed whole number) and returns the entry's handle, which
	 * stays valid for `keyOf` however the index grows.
	 */
	set(key: string, value: number): number {
		let slot = this.find(key);
		let entry = this.slots[slot];
		if (entry === 0) {
			if ((this.count + 1) * 2 > this.slots.length) {
				this.rehash(this.slots.length * 2);
				slot = this.find(key);
			}
			entry = this.append(key) + 1;
			this.slots[slot] = entry;
			this.count += 1;
		}
		this.arena[entry - 1] = value & 0xffff;
		this.arena[entry] = (value >>> 16) & 0xffff;
		return entry - 1;
	}

	/** The key of an entry handle returned by `set`. */
	keyOf(handle: number): string {
		const length = this.arena[handle + 2] | (this.arena[handle + 3] << 16);
		let key = '';
		for (let at = handle + 4, end = at + length; at < end; at += 4096)
			key += String.fromCharCode(...this.arena.subarray(at, Math.min(end, at + 4096)));
		return key;
	}

	private valueAt(offset: number): number {
		return this.arena[offset] | (this.arena[offset + 1] << 16);
	}

	/** The slot holding the key, or the empty slot where it would go (linear probing). */
	private find(key: string): number {
		const mask = this.slots.length - 1;
		let slot = hash(key) & mask;
		for (;;) {
			const entry = this.slots[slot];
			if (entry === 0 || this.matches(entry - 1, key)) return slot;
			slot = (slot + 1) & mask;
		}
	}

	private matches(offset: number, key: string): boolean {
		const arena = this.arena;
		if ((arena[offset + 2] | (arena[offset + 3] << 16)) !== key.length) return false;
		const start = offset + 4;
		for (let i = 0; i < key.length; i += 1)
			if (arena[start + i] !== key.charCodeAt(i)) return false;
		return true;
	}

	private append(key: string): number {
		const needed = this.used + 4 + key.length;
		if (needed > this.arena.length) {
			let length = this.arena.length * 2;
			while (length < needed) length *= 2;
			const grown = new Uint16Array(length);
			grown.set(this.arena.subarray(0, this.used));
			this.arena = grown;
		}
		const offset = this.used;
		this.arena[offset + 2] = key.length & 0xffff;
		this.arena[offset + 3] = key.length >>> 16;
		for (let i = 0; i < key.length; i += 1) this.arena[offset + 4 + i] = key.charCodeAt(i);
		this.used = needed;
		return offset;
	}

	private rehash(capacity: number): void {
		const old = this.slots;
		this.slots = new Int32Array(capacity);
		const mask = capacity - 1;
		for (const entry of old) {
			if (entry === 0) continue;
			let slot = hashAt(this.arena, entry - 1) & mask;
			while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
			this.slots[slot] = entry;
		}
	}
}

/**
 * FNV-1a over the key's UTF-16 code units. Exported for the tests, which pick keys that share a
 * home slot and check that they do.
 */
export function hash(key: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < key.length; i += 1) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
	return h >>> 0;
}

/** The same hash over an arena entry's key. */
function hashAt(arena: Uint16Array, offset: number): number {
	const length = arena[offset + 2] | (arena[offset + 3] << 16);
	let h = 0x811c9dc5;
	for (let i = offset + 4, end = i + length; i < end; i += 1)
		h = Math.imul(h ^ arena[i], 0x01000193);
	return h >>> 0;
}
