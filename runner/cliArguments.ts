/** Command-line arguments of `npm run workflow`, parsed without side effects so they can be tested. */

export interface RunArguments {
	workflowPath: string;
	settings: Record<string, unknown>;
	pipedriveUrl?: string;
	pipedriveToken?: string;
	credentialsFile?: string;
	outFile?: string;
	/** `--progress`: progress lines on stderr even when it is not a terminal (logs, CI). */
	progress: boolean;
}

export const USAGE =
	'Usage: npm run workflow -- <workflow.json> [--set key=value ...] [--pipedrive-url URL] ' +
	'[--pipedrive-token TOKEN] [--credentials FILE] [--out FILE] [--progress]';

/** A usage mistake: reported in one line with the usage, exit code 2. */
export class UsageError extends Error {}

/**
 * `--set` values become numbers, booleans, null or JSON only when the text cannot mean anything
 * else; `007`, `1e3` or `+32…` stay strings (an id or a phone prefix is not a number).
 */
export function parseSettingValue(text: string): unknown {
	if (text === 'true') return true;
	if (text === 'false') return false;
	if (text === 'null') return null;
	if (/^-?(0|[1-9]\d*)(\.\d+)?$/.test(text)) return Number(text);
	if (/^\s*[[{]/.test(text)) {
		try {
			return JSON.parse(text) as unknown;
		} catch {
			return text;
		}
	}
	return text;
}

const VALUE_FLAGS = ['--pipedrive-url', '--pipedrive-token', '--credentials', '--out'];

/** `env` supplies PIPEDRIVE_URL / PIPEDRIVE_TOKEN when the flags are absent. */
export function parseRunArguments(
	argv: string[],
	env: Record<string, string | undefined> = {},
): RunArguments {
	const settings: Record<string, unknown> = {};
	const positional: string[] = [];
	const flags: Record<string, string> = {};
	let progress = false;
	for (let index = 0; index < argv.length; index++) {
		const arg = argv[index];
		if (!arg.startsWith('--')) {
			positional.push(arg);
			continue;
		}
		if (arg === '--progress') {
			progress = true;
			continue;
		}
		// `--flag value` and `--flag=value` both work; for --set the value itself is key=value.
		const equals = arg.indexOf('=');
		const flag = equals > 0 ? arg.slice(0, equals) : arg;
		const value = equals > 0 ? arg.slice(equals + 1) : argv[++index];
		if (value === undefined) throw new UsageError(`${flag} needs a value`);
		if (flag === '--set') {
			const split = value.indexOf('=');
			if (split <= 0) throw new UsageError(`--set ${value}: write --set key=value`);
			settings[value.slice(0, split)] = parseSettingValue(value.slice(split + 1));
		} else if (VALUE_FLAGS.includes(flag)) {
			flags[flag] = value;
		} else {
			throw new UsageError(`Unknown option ${flag}`);
		}
	}
	if (positional.length !== 1) {
		throw new UsageError(
			positional.length === 0
				? 'Name the workflow JSON file'
				: `One workflow file only, got ${positional.join(' ')}`,
		);
	}
	return {
		workflowPath: positional[0],
		settings,
		pipedriveUrl: flags['--pipedrive-url'] ?? env.PIPEDRIVE_URL,
		pipedriveToken: flags['--pipedrive-token'] ?? env.PIPEDRIVE_TOKEN,
		credentialsFile: flags['--credentials'],
		outFile: flags['--out'],
		progress,
	};
}
