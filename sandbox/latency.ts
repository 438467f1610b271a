import { seededRandom, type SandboxRandom } from './random';

/**
 * A network in front of the sandbox: every /api answer (and every dropped connection) reaches
 * the client no sooner than `ms` after the request arrived, plus a jitter in [0, jitterMs] drawn
 * from a seeded generator, so a benchmark at "150 ms from Pipedrive" can be replayed. The
 * handler runs at arrival (limits, faults and writes are decided then, as before); only the
 * answer waits, like a response crossing the internet.
 */
export interface LatencySpec {
	ms: number;
	jitterMs?: number;
	/** Seed of the jitter (default 1); its own generator, so ids and fault rolls do not move. */
	seed?: number;
}

/** Parses `MS` or `MS,JITTER` (whole milliseconds), as `--latency` takes it. */
export function parseLatency(text: string): LatencySpec {
	const match = /^(\d+)(?:,(\d+))?$/.exec(text.trim());
	if (!match)
		throw new Error(
			`latency: "${text}" is not MS or MS,JITTER in whole milliseconds (e.g. 150 or 150,40)`,
		);
	return { ms: Number(match[1]), jitterMs: match[2] === undefined ? 0 : Number(match[2]) };
}

export function validateLatency(spec: LatencySpec): LatencySpec {
	for (const [name, value] of [
		['latencyMs', spec.ms],
		['jitterMs', spec.jitterMs ?? 0],
	] as const) {
		if (!(Number.isInteger(value) && value >= 0))
			throw new Error(`latency: ${name} must be a non-negative whole number of milliseconds`);
	}
	return spec;
}

export class Latency {
	private readonly random: SandboxRandom;

	constructor(readonly spec: LatencySpec) {
		validateLatency(spec);
		this.random = seededRandom(spec.seed ?? 1);
	}

	/** The delay of the next answer, in arrival order. */
	next(): number {
		const jitter = this.spec.jitterMs ?? 0;
		return this.spec.ms + (jitter > 0 ? Math.floor(this.random.next() * (jitter + 1)) : 0);
	}
}
