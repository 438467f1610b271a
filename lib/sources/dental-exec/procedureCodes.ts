import type { ProcedureCode } from '../../model';

/** CDT codes are `D` and four digits; anything else keeps its text under `other`, flagged. */
export function cdtCodes(codes: readonly string[]): ProcedureCode[] {
	return codes.map((code) => {
		const normalized = code.toUpperCase();
		return /^D\d{4}$/.test(normalized)
			? { system: 'CDT', code: normalized, flags: [] }
			: { system: 'other', code, flags: ['not-cdt'] };
	});
}
