import { parseArgs } from 'node:util';

/**
 * The package's one way to read a command line (the workflow runner, the sandbox, the checks,
 * the benches): `node:util`'s parseArgs over an options table, its mistakes worded for the
 * person typing. Node built-ins only, so the stand-alone sandbox may use it too.
 */

type OptionsTable = Record<
	string,
	{ type: 'string' | 'boolean'; multiple?: boolean; default?: string | boolean }
>;

/** The values parseArgs gives for `options` in strict mode: each typed by its option. */
export type OptionValues<Options extends OptionsTable> = ReturnType<
	typeof parseArgs<{ options: Options; strict: true; allowPositionals: true }>
>['values'];

/** A mistake in how a command was called: the CLI prints it with its usage and exits 2. */
export class UsageError extends Error {}

/**
 * `--name value`, `--name=value` and `--flag`, as parseArgs reads them; refused with a one-line
 * reason: an option not in the table (`unknown option --x`), a value missing (`--x needs a
 * value`; a word starting with `--` is the next option, not a value), a value given to a flag,
 * a word that is no option when `positionals` is false. A value may start with one dash
 * (`--latency -5`): the option's own check then says what is wrong with it, where parseArgs'
 * strict mode would only call it "ambiguous".
 */
export function parseOptions<Options extends OptionsTable>(
	args: readonly string[],
	options: Options,
	{ positionals: allowPositionals = false }: { positionals?: boolean } = {},
): { values: OptionValues<Options>; positionals: string[] } {
	const { values, positionals, tokens } = parseArgs({
		args: [...args],
		options,
		strict: false,
		allowPositionals: true,
		tokens: true,
	});
	for (const token of tokens) {
		if (token.kind === 'positional' && !allowPositionals)
			throw new UsageError(`unexpected argument ${token.value}`);
		if (token.kind !== 'option') continue;
		const option = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
		if (!option) throw new UsageError(`unknown option ${token.rawName}`);
		if (option.type === 'boolean' && token.value !== undefined)
			throw new UsageError(`${token.rawName} takes no value`);
		if (
			option.type === 'string' &&
			(token.value === undefined || (!token.inlineValue && token.value.startsWith('--')))
		)
			throw new UsageError(`${token.rawName} needs a value`);
	}
	// Every option token was checked against the table above: the values are as strict mode types them.
	return { values: values as OptionValues<Options>, positionals };
}

/**
 * The `name=value` words the benches take besides their options (`patients=40 plan=growth`):
 * the word's value by name, the first occurrence counting.
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
