import { randomBytes, randomUUID } from 'node:crypto';

/**
 * The sandbox's only source of randomness: custom-field hash keys, tokens, lead UUIDs and fault
 * rolls. Crypto randomness by default, so two sandboxes never share a hash key; a seeded
 * generator (mulberry32) when a test asks for reproducible output.
 */
export interface SandboxRandom {
	/** Uniform in [0, 1). */
	next(): number;
	/** `length` lower-case hex characters. */
	hex(length: number): string;
	/** RFC 4122 version-4 UUID. */
	uuid(): string;
}

export function createRandom(seed?: number): SandboxRandom {
	if (seed === undefined) {
		return {
			next: () => randomBytes(4).readUInt32BE(0) / 0x1_0000_0000,
			hex: (length) =>
				randomBytes(Math.ceil(length / 2))
					.toString('hex')
					.slice(0, length),
			uuid: () => randomUUID(),
		};
	}
	return seededRandom(seed);
}

export function seededRandom(seed: number): SandboxRandom {
	let state = seed >>> 0;
	const next = (): number => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
	};
	const hex = (length: number): string => {
		let out = '';
		while (out.length < length) out += Math.floor(next() * 16).toString(16);
		return out;
	};
	const uuid = (): string => {
		const h = hex(32).split('');
		h[12] = '4';
		h[16] = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
		const s = h.join('');
		return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
	};
	return { next, hex, uuid };
}
