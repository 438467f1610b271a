/**
 * `npm run sandbox -- [--port N] [--host H] [--plan lite|growth|premium|ultimate] [--seats N]
 *                     [--users FILE] [--faults SPEC] [--state FILE] [--file-size-limit BYTES]
 *                     [--latency MS[,JITTER]]`
 *
 * Starts a local Pipedrive-compatible API, prints its base URL and tokens (the sandbox's own,
 * the one place they are printed), and stops cleanly on SIGINT/SIGTERM, saving `--state`.
 */
import { readFileSync } from 'node:fs';
import { ADMIN_USER, type SeedUser } from './account';
import { parseFaultSpec } from './faults';
import { parseLatency } from './latency';
import { startSandbox, type SandboxOptions } from './index';

export const DEFAULT_CLI_PORT = 8765;
const PLANS = ['lite', 'growth', 'premium', 'ultimate'] as const;

export class CliError extends Error {}

function positiveInteger(flag: string, raw: string | undefined, allowZero = false): number {
	const n = Number(raw);
	if (raw === undefined || !/^\d+$/.test(raw) || (!allowZero && n === 0)) {
		throw new CliError(`${flag} needs a ${allowZero ? 'non-negative' : 'positive'} whole number`);
	}
	return n;
}

/** `--users FILE`: a JSON array of `{ "name", "email", "active"?, "admin"? }`. */
export function readUsersFile(path: string): SeedUser[] {
	let parsed: unknown;
	try {
		parsed = JSON.parse(readFileSync(path, 'utf8'));
	} catch (error) {
		throw new CliError(`--users ${path}: cannot read it as JSON (${(error as Error).message})`);
	}
	if (!Array.isArray(parsed))
		throw new CliError(
			`--users ${path}: expected a JSON array of { "name", "email", "active"?, "admin"? }`,
		);
	const seen = new Set([ADMIN_USER.email]);
	return parsed.map((u: Record<string, unknown>, i) => {
		const where = `--users ${path}: entry ${i + 1}`;
		if (typeof u?.name !== 'string' || u.name.trim() === '')
			throw new CliError(`${where}: "name" must be a non-empty string`);
		if (typeof u.email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(u.email))
			throw new CliError(`${where}: "email" must be an email address`);
		if (seen.has(u.email.toLowerCase()))
			throw new CliError(`${where}: "email" is already used by another user`);
		seen.add(u.email.toLowerCase());
		for (const flag of ['active', 'admin']) {
			if (u[flag] !== undefined && typeof u[flag] !== 'boolean')
				throw new CliError(`${where}: "${flag}" must be true or false`);
		}
		return {
			name: u.name,
			email: u.email,
			active: u.active as boolean | undefined,
			admin: u.admin as boolean | undefined,
		};
	});
}

export function parseCliArguments(argv: string[]): SandboxOptions {
	const options: SandboxOptions = { port: DEFAULT_CLI_PORT };
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		const value = argv[i + 1];
		const take = (): string => {
			if (value === undefined || value.startsWith('--'))
				throw new CliError(`${flag} needs a value`);
			i++;
			return value;
		};
		switch (flag) {
			case '--port':
				options.port = positiveInteger(flag, take(), true);
				break;
			case '--host':
				options.host = take();
				break;
			case '--plan': {
				const plan = take();
				if (!(PLANS as readonly string[]).includes(plan))
					throw new CliError(`--plan must be one of ${PLANS.join(', ')}`);
				options.plan = plan as SandboxOptions['plan'];
				break;
			}
			case '--seats':
				options.seats = positiveInteger(flag, take());
				break;
			case '--users':
				options.users = readUsersFile(take());
				break;
			case '--faults':
				try {
					options.faults = parseFaultSpec(take());
				} catch (error) {
					throw new CliError((error as Error).message);
				}
				break;
			case '--state':
				options.stateFile = take();
				break;
			case '--file-size-limit':
				options.fileSizeLimitBytes = positiveInteger(flag, take());
				break;
			case '--latency':
				try {
					const latency = parseLatency(take());
					options.latencyMs = latency.ms;
					options.jitterMs = latency.jitterMs;
				} catch (error) {
					throw new CliError((error as Error).message);
				}
				break;
			default:
				throw new CliError(
					`unknown option ${flag}; options: --port --host --plan --seats --users --faults --state --file-size-limit --latency`,
				);
		}
	}
	return options;
}

async function main(): Promise<void> {
	let options: SandboxOptions;
	try {
		options = parseCliArguments(process.argv.slice(2));
	} catch (error) {
		if (!(error instanceof CliError)) throw error;
		process.stderr.write(`sandbox: ${error.message}\n`);
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
