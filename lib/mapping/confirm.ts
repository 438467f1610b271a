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
	/** When the user confirmed: given by the caller (the node passes the run time). */
	confirmedAt: string;
}

/** The Confirm operation: a valid spec gets its hash recorded; an invalid one is refused. */
export function confirmSpec(document: unknown, confirmedAt: string): Confirmation {
	const spec = requireValidSpec(document);
	return { specHash: specHash(spec), confirmedAt };
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
	if (confirmed !== hash)
		throw new MappingSpecError(
			`The mapping spec changed after it was confirmed (confirmed ${short(confirmed)}, now ${short(hash)}): run Confirm mapping again.`,
		);
	return { spec, specHash: hash };
}
