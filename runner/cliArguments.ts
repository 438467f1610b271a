/** Command-line arguments of `npm run workflow`, parsed without side effects so they can be tested. */

import { parseOptions, UsageError } from '../cli/options';

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
export { UsageError };

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

const OPTIONS = {
	set: { type: 'string', multiple: true },
	'pipedrive-url': { type: 'string' },
	'pipedrive-token': { type: 'string' },
	credentials: { type: 'string' },
	out: { type: 'string' },
	progress: { type: 'boolean' },
} as const;

/** `env` supplies PIPEDRIVE_URL / PIPEDRIVE_TOKEN when the flags are absent. */
export function parseRunArguments(
	argv: string[],
	env: Record<string, string | undefined> = {},
): RunArguments {
	const { values, positionals } = parseOptions(argv, OPTIONS, { positionals: true });
	const settings: Record<string, unknown> = {};
	// For --set the value itself is key=value.
	for (const setting of values.set ?? []) {
		const split = setting.indexOf('=');
		if (split <= 0) throw new UsageError(`--set ${setting}: write --set key=value`);
		settings[setting.slice(0, split)] = parseSettingValue(setting.slice(split + 1));
	}
	if (positionals.length !== 1) {
		throw new UsageError(
			positionals.length === 0
				? 'Name the workflow JSON file'
				: `One workflow file only, got ${positionals.join(' ')}`,
		);
	}
	return {
		workflowPath: positionals[0],
		settings,
		pipedriveUrl: values['pipedrive-url'] ?? env.PIPEDRIVE_URL,
		pipedriveToken: values['pipedrive-token'] ?? env.PIPEDRIVE_TOKEN,
		credentialsFile: values.credentials,
		outFile: values.out,
		progress: values.progress ?? false,
	};
}
