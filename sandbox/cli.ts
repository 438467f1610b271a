/**
 * `npm run sandbox -- [options]` (USAGE below; sandbox/README.md explains each option).
 *
 * Starts a local Pipedrive-compatible API, prints its base URL and tokens (the sandbox's own,
 * the one place they are printed), and stops cleanly on SIGINT/SIGTERM, saving `--state`.
 */
import { readFileSync } from 'node:fs';

import { parseOptions, UsageError } from '../cli/options';
import { ADMIN_USER, type SeedUser } from './account';
import { parseFaultSpec } from './faults';
import { parseLatency } from './latency';
import { startSandbox, type SandboxOptions } from './index';

export const DEFAULT_CLI_PORT = 8765;
const PLANS = ['lite', 'growth', 'premium', 'ultimate'] as const;

const USAGE =
	'Usage: npm run sandbox -- [--port N] [--host H] [--plan lite|growth|premium|ultimate] ' +
	'[--seats N] [--users FILE] [--faults SPEC] [--state FILE] [--file-size-limit BYTES] ' +
	'[--latency MS[,JITTER]]';

function positiveInteger(flag: string, raw: string | undefined, allowZero = false): number {
	const n = Number(raw);
	if (raw === undefined || !/^\d+$/.test(raw) || (!allowZero && n === 0)) {
		throw new UsageError(`${flag} needs a ${allowZero ? 'non-negative' : 'positive'} whole number`);
	}
	return n;
}

/** `--users FILE`: a JSON array of `{ "name", "email", "active"?, "admin"? }`. */
export function readUsersFile(path: string): SeedUser[] {
	let parsed: unknown;
	try {
		parsed = JSON.parse(readFileSync(path, 'utf8'));
	} catch (error) {
		throw new UsageError(`--users ${path}: cannot read it as JSON (${(error as Error).message})`);
	}
	if (!Array.isArray(parsed))
		throw new UsageError(
			`--users ${path}: expected a JSON array of { "name", "email", "active"?, "admin"? }`,
		);
	const seen = new Set([ADMIN_USER.email]);
	return parsed.map((u: Record<string, unknown>, i) => {
		const where = `--users ${path}: entry ${i + 1}`;
		if (typeof u?.name !== 'string' || u.name.trim() === '')
			throw new UsageError(`${where}: "name" must be a non-empty string`);
		if (typeof u.email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(u.email))
			throw new UsageError(`${where}: "email" must be an email address`);
		if (seen.has(u.email.toLowerCase()))
			throw new UsageError(`${where}: "email" is already used by another user`);
		seen.add(u.email.toLowerCase());
		for (const flag of ['active', 'admin']) {
			if (u[flag] !== undefined && typeof u[flag] !== 'boolean')
				throw new UsageError(`${where}: "${flag}" must be true or false`);
		}
		return {
			name: u.name,
			email: u.email,
			active: u.active as boolean | undefined,
			admin: u.admin as boolean | undefined,
		};
	});
}

const OPTIONS = {
	port: { type: 'string' },
	host: { type: 'string' },
	plan: { type: 'string' },
	seats: { type: 'string' },
	users: { type: 'string' },
	faults: { type: 'string' },
	state: { type: 'string' },
	'file-size-limit': { type: 'string' },
	latency: { type: 'string' },
} as const;

export function parseCliArguments(argv: string[]): SandboxOptions {
	const { values } = parseOptions(argv, OPTIONS);
	const options: SandboxOptions = {
		port:
			values.port === undefined ? DEFAULT_CLI_PORT : positiveInteger('--port', values.port, true),
	};
	if (values.host !== undefined) options.host = values.host;
	if (values.plan !== undefined) {
		if (!(PLANS as readonly string[]).includes(values.plan))
			throw new UsageError(`--plan must be one of ${PLANS.join(', ')}`);
		options.plan = values.plan as SandboxOptions['plan'];
	}
	if (values.seats !== undefined) options.seats = positiveInteger('--seats', values.seats);
	if (values.users !== undefined) options.users = readUsersFile(values.users);
	// The fault and latency specs explain their own mistakes; they are usage mistakes here.
	const asUsage = <T>(read: () => T): T => {
		try {
			return read();
		} catch (error) {
			throw new UsageError((error as Error).message);
		}
	};
	if (values.faults !== undefined) options.faults = asUsage(() => parseFaultSpec(values.faults!));
	if (values.state !== undefined) options.stateFile = values.state;
	if (values['file-size-limit'] !== undefined)
		options.fileSizeLimitBytes = positiveInteger('--file-size-limit', values['file-size-limit']);
	if (values.latency !== undefined) {
		const latency = asUsage(() => parseLatency(values.latency!));
		options.latencyMs = latency.ms;
		options.jitterMs = latency.jitterMs;
	}
	return options;
}

async function main(): Promise<void> {
	let options: SandboxOptions;
	try {
		options = parseCliArguments(process.argv.slice(2));
	} catch (error) {
		if (!(error instanceof UsageError)) throw error;
		process.stderr.write(`sandbox: ${error.message}\n${USAGE}\n`);
		process.exit(2);
	}
	const sandbox = await startSandbox(options);
	process.stdout.write(
		[
			`Pipedrive sandbox running (plan ${options.plan ?? 'growth'}, ${options.seats ?? 3} seats, company ${sandbox.companyId})`,
			`base URL:    ${sandbox.baseUrl}   (v2: /api/v2, v1: /api/v1)`,
			`API token:   ${sandbox.apiToken}   (header x-api-token)`,
			`OAuth token: ${sandbox.oauthToken}   (header Authorization: Bearer …)`,
			`admin token: ${sandbox.adminToken}   (header x-sandbox-admin-token, paths /__sandbox/…)`,
			options.latencyMs || options.jitterMs
				? `latency:     ${options.latencyMs ?? 0} ms + jitter up to ${options.jitterMs ?? 0} ms per answer`
				: 'latency:     none (use --latency MS[,JITTER] for a realistic network)',
			options.stateFile
				? `state file:  ${options.stateFile} (saved on stop)`
				: 'state:       in memory (use --state FILE to keep it)',
			'Stop with Ctrl+C.',
			'',
		].join('\n'),
	);
	let stopping = false;
	const stop = (signal: string): void => {
		if (stopping) return;
		stopping = true;
		sandbox.close().then(
			() => {
				process.stdout.write(
					`sandbox stopped (${signal})${options.stateFile ? `, state saved to ${options.stateFile}` : ''}\n`,
				);
				process.exit(0);
			},
			(error: Error) => {
				process.stderr.write(`sandbox: could not stop cleanly: ${error.message}\n`);
				process.exit(1);
			},
		);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
	main().catch((error: Error) => {
		process.stderr.write(`sandbox: ${error.message}\n`);
		process.exit(1);
	});
}
