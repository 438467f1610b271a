import { seededRandom, type SandboxRandom } from './random';

/**
 * Fault injection, off by default. A share (`rate`) of /api requests gets one of `kinds`, chosen
 * by a seeded generator so a failing test run can be replayed:
 *   429, 500, 502, 503          answered before the handler runs (nothing written)
 *   500-after, 502-after, 503-after  the write is applied, then a 5xx is returned
 *   slow                        the request is answered after `slowMs`
 *   drop-before                 the socket is destroyed before the handler runs
 *   drop-after                  the write is applied, then the socket is destroyed with no response
 * The "after" kinds are the hard case for idempotency: the client sees a failure although
 * Pipedrive holds the record.
 */
export const FAULT_KINDS = [
	'429',
	'500',
	'502',
	'503',
	'500-after',
	'502-after',
	'503-after',
	'slow',
	'drop-before',
	'drop-after',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
	seed: number;
	/** Share of requests faulted, 0..1. */
	rate: number;
	kinds: FaultKind[];
	/** Delay for `slow`, default 1500 ms. */
	slowMs?: number;
}

/** Parses `seed=7,rate=0.1,kinds=429+500+drop-after,slowMs=2000`. */
export function parseFaultSpec(text: string): FaultSpec {
	const entries = new Map<string, string>();
	for (const part of text
		.split(',')
		.map((p) => p.trim())
		.filter(Boolean)) {
		const [key, value] = part.split('=');
		if (!key || value === undefined)
			throw new Error(
				`faults: "${part}" is not key=value (expected e.g. seed=7,rate=0.1,kinds=429+500)`,
			);
		entries.set(key, value);
	}
	for (const key of entries.keys()) {
		if (!['seed', 'rate', 'kinds', 'slowMs'].includes(key))
			throw new Error(`faults: unknown setting "${key}" (use seed, rate, kinds, slowMs)`);
	}
	const seed = Number(entries.get('seed') ?? '1');
	const rate = Number(entries.get('rate') ?? '0.1');
	const kinds = (entries.get('kinds') ?? '429+500+502+503').split('+') as FaultKind[];
	const slowMs = entries.has('slowMs') ? Number(entries.get('slowMs')) : undefined;
	return validateFaultSpec({ seed, rate, kinds, ...(slowMs === undefined ? {} : { slowMs }) });
}

export function validateFaultSpec(spec: FaultSpec): FaultSpec {
	if (!Number.isInteger(spec.seed)) throw new Error('faults: seed must be an integer');
	if (!(spec.rate >= 0 && spec.rate <= 1))
		throw new Error('faults: rate must be a number from 0 to 1');
	const bad = spec.kinds.filter((k) => !(FAULT_KINDS as readonly string[]).includes(k));
	if (bad.length > 0 || spec.kinds.length === 0)
		throw new Error(`faults: kinds must be some of ${FAULT_KINDS.join('+')}`);
	if (spec.slowMs !== undefined && !(Number.isInteger(spec.slowMs) && spec.slowMs >= 0))
		throw new Error('faults: slowMs must be a non-negative integer');
	return spec;
}

export class FaultInjector {
	private readonly random: SandboxRandom;

	constructor(readonly spec: FaultSpec) {
		this.random = seededRandom(spec.seed);
	}

	/** One roll per /api request, in arrival order. */
	next(): FaultKind | undefined {
		const hit = this.random.next() < this.spec.rate;
		const pick = this.random.next();
		return hit ? this.spec.kinds[Math.floor(pick * this.spec.kinds.length)] : undefined;
	}

	get slowMs(): number {
		return this.spec.slowMs ?? 1_500;
	}
}
