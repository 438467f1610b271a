/**
 * The `name=value` words the benches take besides parseArgs' `--flag value` options
 * (`patients=40 plan=growth`): the word's value by name, the first occurrence counting.
 */
export function namedWords(positionals: readonly string[]) {
	const words = new Map<string, string>();
	for (const word of positionals) {
		const equals = word.indexOf('=');
		if (equals > 0 && !words.has(word.slice(0, equals)))
			words.set(word.slice(0, equals), word.slice(equals + 1));
	}
	return (name: string, fallback: string) => words.get(name) ?? fallback;
}
