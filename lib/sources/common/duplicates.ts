import type { Patient } from '../../model';
import { normalizeHeader } from './headers';
import { IdIndex } from './idIndex';

export const SAME_NAME_AND_BIRTH_DATE = 'same name and date of birth';
export const SAME_NAME_AND_EMAIL = 'same name and email';

/**
 * Finds patients that are probably one person under two IDs: same first and last name plus the
 * same birth date, or plus a shared email. Family members share emails and phones but not first
 * names, so a shared email alone is never a match. Pairs are reported for review, never merged.
 */
export class DuplicatePatientFinder {
	/**
	 * Fingerprint → handle of the first patient's source key in `keys`: flat arrays, not a Map of
	 * strings, since a whole export holds one or two fingerprints per patient (idIndex.ts).
	 */
	private readonly seen = new IdIndex();
	private readonly keys = new IdIndex();
	private readonly pairs = new Set<string>();
	readonly found: { sourceKeys: string[]; reason: string }[] = [];

	add(patient: Patient): void {
		if (patient.firstName === undefined) return;
		const name = `${normalizeHeader(patient.firstName)}|${normalizeHeader(patient.lastName)}`;
		if (patient.birthDate !== undefined)
			this.check(`b|${name}|${patient.birthDate}`, patient.sourceKey, SAME_NAME_AND_BIRTH_DATE);
		for (const email of patient.emails)
			this.check(`e|${name}|${email.trim().toLowerCase()}`, patient.sourceKey, SAME_NAME_AND_EMAIL);
	}

	private check(fingerprint: string, key: string, reason: string): void {
		const handle = this.seen.get(fingerprint);
		if (handle === undefined) {
			this.seen.set(fingerprint, this.keys.set(key, 0));
			return;
		}
		const earlier = this.keys.keyOf(handle);
		const pair = `${earlier}\n${key}`;
		if (earlier === key || this.pairs.has(pair)) return;
		this.pairs.add(pair);
		this.found.push({ sourceKeys: [earlier, key], reason });
	}
}
