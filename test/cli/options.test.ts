import { namedWords, parseOptions, UsageError } from '../../cli/options';

const OPTIONS = {
	latency: { type: 'string' },
	set: { type: 'string', multiple: true },
	plan: { type: 'string', default: 'growth' },
	progress: { type: 'boolean' },
} as const;

describe('parseOptions (the one command-line reader)', () => {
	it('reads --name value, --name=value, repeated options, flags and defaults', () => {
		expect(
			parseOptions(
				['a.json', '--latency', '150', '--set', 'x=1', '--set=y=2', '--progress'],
				OPTIONS,
				{ positionals: true },
			),
		).toEqual({
			values: { latency: '150', set: ['x=1', 'y=2'], plan: 'growth', progress: true },
			positionals: ['a.json'],
		});
	});

	it('hands a value with one leading dash to the option, in both forms', () => {
		// parseArgs' strict mode calls `--latency -5` ambiguous; the option's own check explains it.
		expect(parseOptions(['--latency', '-5'], OPTIONS).values.latency).toBe('-5');
		expect(parseOptions(['--latency=-5'], OPTIONS).values.latency).toBe('-5');
	});

	it('refuses with one line a person can act on', () => {
		const refusal = (args: string[], positionals = false) => {
			try {
				parseOptions(args, OPTIONS, { positionals });
			} catch (error) {
				expect(error).toBeInstanceOf(UsageError);
				return (error as Error).message;
			}
			throw new Error('accepted');
		};
		expect(refusal(['--verbose'])).toBe('unknown option --verbose');
		expect(refusal(['-v'])).toBe('unknown option -v');
		expect(refusal(['--latency'])).toBe('--latency needs a value');
		expect(refusal(['--latency', '--progress'])).toBe('--latency needs a value');
		expect(refusal(['--progress=yes'])).toBe('--progress takes no value');
		expect(refusal(['extra'])).toBe('unexpected argument extra');
		expect(refusal(['--toString'])).toBe('unknown option --toString');
	});

	it('gives the benches their name=value words, the first occurrence counting', () => {
		const word = namedWords(['patients=40', 'plan=growth', 'patients=9', 'loose']);
		expect(word('patients', '1')).toBe('40');
		expect(word('plan', 'lite')).toBe('growth');
		expect(word('seed', '7')).toBe('7');
	});
});
