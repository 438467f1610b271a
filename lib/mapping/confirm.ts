import { createHash } from 'node:crypto';
import { canonicalJson } from './canonicalJson';
import { MappingSpec, specHash } from './spec';
import { validateSpec } from './validate';

/** Raised when a spec is refused: invalid, unconfirmed, or changed since it was confirmed. */
export class MappingSpecError extends Error {
	constructor(
		message: string,
		readonly problems: string[] = [],
	) {
		super(message);
		this.name = 'MappingSpecError';
	}
}

export interface Confirmation {
	specHash: string;
	/**
	 * The spec's `rules.today`, part of the hash: steps 4, 5 and delta set it with the hash, or on
	 * another day they propose the map for that day and the hash no longer matches.
	 */
	today: string;
	/** When the user confirmed: given by the caller (the node passes the run time). */
	confirmedAt: string;
}

/** The Confirm operation: a valid spec gets its hash recorded; an invalid one is refused. */
export function confirmSpec(document: unknown, confirmedAt: string): Confirmation {
	const spec = requireValidSpec(document);
	return { specHash: specHash(spec), today: spec.rules.today, confirmedAt };
}

export function requireValidSpec(document: unknown): MappingSpec {
	const validation = validateSpec(document);
	if (!validation.ok || validation.spec === undefined)
		throw new MappingSpecError(
			`The mapping spec is not valid (${validation.problems.length} problems): ${validation.problems.slice(0, 5).join(' ')}`,
			validation.problems,
		);
	return validation.spec;
}

const short = (hash: string) => `${hash.slice(0, 12)}…`;

/**
 * The confirm gate, shared by Transform and the Ledger's Commit: only a valid spec whose hash
 * equals the confirmed hash passes. Returns the parsed spec and its hash.
 */
export function requireConfirmedSpec(
	document: unknown,
	confirmedSpecHash: string | undefined,
): { spec: MappingSpec; specHash: string } {
	const spec = requireValidSpec(document);
	const hash = specHash(spec);
	const confirmed = confirmedSpecHash?.trim() ?? '';
	if (confirmed === '')
		throw new MappingSpecError(
			`The mapping spec has not been confirmed (its hash is ${short(hash)}): run Confirm mapping, or paste the confirmed spec hash.`,
		);
	if (confirmed !== hash) {
		const confirmedToday = confirmedDateOf(spec, confirmed);
		throw new MappingSpecError(
			confirmedToday === undefined
				? `The mapping spec changed after it was confirmed (confirmed ${short(confirmed)}, now ${short(hash)}): run Confirm mapping again.`
				: `The mapping spec changed after it was confirmed (confirmed ${short(confirmed)}, now ${short(hash)}): only its date differs: it was confirmed for today = ${confirmedToday}, this run proposed it for ${spec.rules.today}. Set today to ${confirmedToday} in Migration settings (step 3 prints it with the hash), or run Confirm mapping again.`,
		);
	}
	return { spec, specHash: hash };
}

/** How far back (and ahead) of the run's date a confirmation's date is looked for. */
const DATE_SEARCH_DAYS = { back: 730, ahead: 31 };
const DAY_MS = 86_400_000;

/**
 * The `rules.today` the confirmed hash was made with, when the spec is otherwise the same. The
 * lead rule's date is part of the map (it decides who gets a lead), and an empty `today` setting
 * means the day of the run: confirming on Monday and running step 4 on Tuesday changes the hash
 * with nothing else changed. Only a mismatch pays for this search (a few hundred hashes).
 */
function confirmedDateOf(spec: MappingSpec, confirmed: string): string | undefined {
	const runDay = Date.parse(`${spec.rules.today}T00:00:00Z`);
	if (!/^[0-9a-f]{64}$/.test(confirmed) || Number.isNaN(runDay)) return undefined;
	for (let day = -DATE_SEARCH_DAYS.back; day <= DATE_SEARCH_DAYS.ahead; day++) {
		if (day === 0) continue;
		const today = new Date(runDay + day * DAY_MS).toISOString().slice(0, 10);
		const dated = { ...spec, rules: { ...spec.rules, today } };
		if (createHash('sha256').update(canonicalJson(dated)).digest('hex') === confirmed) return today;
	}
	return undefined;
}
