import { compareText } from '../order';
import type { Claim } from '../../model';
import type { Rules } from '../spec';
import { labelOf } from './text';
import type { Value } from './values';

/** Newest first: submission date, then source key so equal dates keep one order. */
function newestFirst(claims: Claim[]): Claim[] {
	return [...claims].sort(
		(a, b) =>
			compareText(b.submittedDate ?? '', a.submittedDate ?? '') ||
			compareText(a.sourceKey, b.sourceKey),
	);
}

/** Brief Dental-Exec row 7: the latest claim's status as a person field. */
export function latestClaimStatus(claims: Claim[]): Value | undefined {
	const status = newestFirst(claims)[0]?.status;
	return status === undefined ? undefined : { type: 'text', value: labelOf(status) };
}

/**
 * Brief Dental-Exec row 7: the claim history as one text field, a line per claim (date, status,
 * billed, paid, codes), not as separate records.
 */
export function claimHistory(claims: Claim[], rule: Rules['claimHistory']): Value | undefined {
	if (claims.length === 0) return undefined;
	const ordered = newestFirst(claims);
	const lines = ordered
		.slice(0, rule.maxLines)
		.map((claim) =>
			[
				claim.submittedDate ?? 'no date',
				claim.status ? labelOf(claim.status) : 'no status',
				`billed ${claim.billed ? `${claim.billed.amount} ${claim.billed.currency}` : '-'}`,
				`paid ${claim.paid ? `${claim.paid.amount} ${claim.paid.currency}` : '-'}`,
				claim.procedureCodes.length > 0
					? claim.procedureCodes.map((c) => c.code).join(' ')
					: 'no codes',
			].join(' | '),
		);
	const older = ordered.length - rule.maxLines;
	if (older > 0) lines.push(`… and ${older} older claims`);
	return { type: 'text', value: lines.join('\n') };
}
