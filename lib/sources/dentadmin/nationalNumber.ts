/**
 * Belgian national register number (rijksregisternummer / numéro de registre national) and BIS
 * number: YYMMDD + 3-digit counter + 2-digit mod-97 check. The value is a legally protected
 * identifier: callers validate it but keep it out of messages and out of the output by default.
 */
export type NationalNumberResult =
	| {
			valid: true;
			/** The 11 digits without separators. */
			digits: string;
			kind: 'national' | 'bis';
			/** Which checksum rule matched: born before 2000 (19xx) or from 2000 (20xx, prefix 2). */
			century: 1900 | 2000;
	  }
	| { valid: false; reason: 'format' | 'month' | 'day' | 'checksum' };

/** Separators seen on eID cards and in exports: `93.05.18-223.61`, `930518 223 61`. */
const SEPARATORS = /[\s.\-/]/g;

export function validateNationalNumber(raw: string): NationalNumberResult {
	const digits = raw.replace(SEPARATORS, '');
	if (!/^\d{11}$/.test(digits)) return { valid: false, reason: 'format' };
	const month = Number(digits.slice(2, 4));
	const day = Number(digits.slice(4, 6));
	// BIS numbers add 20 (sex known) or 40 (sex unknown) to the month; month and day may be 00
	// when the birth date is not fully known.
	const baseMonth = month >= 40 ? month - 40 : month >= 20 ? month - 20 : month;
	if (baseMonth > 12 || (month > 12 && month < 20) || (month > 32 && month < 40) || month > 52) {
		return { valid: false, reason: 'month' };
	}
	if (day > 31) return { valid: false, reason: 'day' };
	const body = Number(digits.slice(0, 9));
	const check = Number(digits.slice(9));
	const kind = month >= 20 ? 'bis' : 'national';
	if (97 - (body % 97) === check) return { valid: true, digits, kind, century: 1900 };
	// People born from 2000 on: the check is computed over "2" followed by the 9 digits.
	if (97 - ((2_000_000_000 + body) % 97) === check)
		return { valid: true, digits, kind, century: 2000 };
	return { valid: false, reason: 'checksum' };
}

/** Builds a valid number for a (fake) birth date and counter: used by the sample generator. */
export function makeNationalNumber(birthDate: string, counter: number): string {
	const [year, month, day] = birthDate.split('-');
	const body = `${year.slice(2)}${month}${day}${String(counter).padStart(3, '0')}`;
	const base = Number(year) >= 2000 ? 2_000_000_000 + Number(body) : Number(body);
	return `${body}${String(97 - (base % 97)).padStart(2, '0')}`;
}
