/**
 * What counts as an e-mail address and as a phone number in an export cell (the `email` and
 * `phone` column types, cells.ts). Deliberately lenient: the reader keeps values as written and
 * only refuses a value that cannot be one (a missing domain, free text in a phone column), because
 * Pipedrive would store such a value as a contact detail nobody can use.
 */

/**
 * `local@domain.tld`: no spaces, one `@`, a domain of dot-separated labels (letters of any script,
 * digits, inner hyphens) ending in a top-level label of two or more letters (or punycode).
 * Refuses `x@`, `jan.peeters`, `a@b`, `a@b.c`, `a b@c.be`, `a@@b.be`, `a@b..be`, `.a@b.be`.
 */
const EMAIL =
	/^(?!\.)(?!.*\.\.)[^\s@<>()[\],;:"]+(?<!\.)@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+(?:\p{L}{2,}|xn--[a-z0-9-]+)$/iu;

export function isEmailAddress(value: string): boolean {
	return EMAIL.test(value);
}

/**
 * A phone number as practices write it: digits with spaces, dots, dashes, slashes and brackets
 * (`0475 12 34 56`, `+32 (0)9 123.45.67`, `(555) 010-0123`, `09/123.45.67`), a `+` only in front,
 * optionally an extension (`x12`, `ext. 12`, `#12`); 6 to 15 digits before the extension (E.164
 * allows 15). Letters or other signs make it free text: `bel na 17u`, `n/a`, `geen`, `0475 12 34 56
 * (mama)`.
 */
const PHONE = /^\+?[\d\s().\-/]+?(?:\s*(?:x|ext\.?|#)\s*\d{1,6})?$/i;
const EXTENSION = /(?:x|ext\.?|#)\s*\d{1,6}$/i;

export function isPhoneNumber(value: string): boolean {
	if (!PHONE.test(value)) return false;
	const digits = value.replace(EXTENSION, '').replace(/\D/g, '').length;
	return digits >= 6 && digits <= 15;
}
