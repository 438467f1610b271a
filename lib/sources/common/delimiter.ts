/** The delimiters exports use; the report shows tab as `\t`. */
export const DELIMITERS = [',', ';', '\t'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** Characters that separate fields in other tools; seeing one instead of ours is a clear finding. */
const FOREIGN_DELIMITERS = ['|', '^', '~'];

export type DelimiterSniff =
	| { kind: 'found'; delimiter: Delimiter }
	| { kind: 'single-column' }
	| { kind: 'foreign'; delimiter: string };

/** Counts each candidate in the header line outside quotes; the most frequent one wins. */
export function sniffDelimiter(headerLine: string): DelimiterSniff {
	const counts = new Map<string, number>();
	let quoted = false;
	for (const char of headerLine) {
		if (char === '"') quoted = !quoted;
		else if (!quoted) counts.set(char, (counts.get(char) ?? 0) + 1);
	}
	let best: Delimiter | undefined;
	for (const candidate of DELIMITERS) {
		if ((counts.get(candidate) ?? 0) > (best === undefined ? 0 : (counts.get(best) ?? 0)))
			best = candidate;
	}
	if (best !== undefined) return { kind: 'found', delimiter: best };
	const foreign = FOREIGN_DELIMITERS.find((candidate) => (counts.get(candidate) ?? 0) > 0);
	return foreign === undefined
		? { kind: 'single-column' }
		: { kind: 'foreign', delimiter: foreign };
}
