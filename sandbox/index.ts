import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { SeedUser } from './account';
import type { FaultSpec } from './faults';
import { Latency } from './latency';
import { dailyBudgetFor } from './limits';
import { createRandom } from './random';
import type { Plan } from './routing';
import { Sandbox, type SandboxCounters } from './server';
import type { SandboxSnapshot, SnapshotOptions } from './snapshot';
import { loadState, saveState } from './stateFile';

export type { FaultSpec } from './faults';
export type { SandboxSnapshot, SnapshotOptions } from './snapshot';
export type { SandboxCounters } from './server';

export interface SandboxOptions {
	/** 0 = any free port (default 0). */
	port?: number;
	/** Default 127.0.0.1. */
	host?: string;
	/** Default 'growth'. */
	plan?: Plan;
	/** Default 3. */
	seats?: number;
	/** Seeded besides the admin ("Sandbox Admin", admin@sandbox.test). */
	users?: SeedUser[];
	/** e.g. "seed=7,rate=0.1,kinds=429+500+502+503+slow+drop-before+drop-after"; off by default. */
	faults?: string | FaultSpec;
	/** JSON file loaded at start (when it exists), written shortly after each write and by close(). */
	stateFile?: string;
	/**
	 * Per-file upload cap. Pipedrive publishes no number (api-facts §3.6); the default 10 MiB is
	 * conservative for the clinical documents a dental export carries (scans, PDFs) and keeps a
	 * test that exceeds it cheap. Over the cap → HTTP 413.
	 */
	fileSizeLimitBytes?: number;
	clockOffsetMs?: number;
	/** Override the plan's burst limit (tests with tight limits). */
	burstLimit?: number;
	/** Override 30,000 × multiplier × seats. */
	dailyBudget?: number;
	/** Deterministic company id, tokens, hash keys and lead ids when given. */
	seed?: number;
	/** Emit the rate-limit headers (default true); the real API sometimes omits them. */
	headers?: boolean;
	/** Every /api answer waits this long (ms) after its request arrived, as over the internet; default 0. */
	latencyMs?: number;
	/** Plus a seeded jitter in [0, jitterMs] per answer (seed: `latencySeed`, default 1). */
	jitterMs?: number;
	latencySeed?: number;
}

export interface RunningSandbox {
	/** e.g. http://127.0.0.1:41234 (v2 under /api/v2, v1 under /api/v1 and /v1). */
	baseUrl: string;
	/** The admin user's API token. */
	apiToken: string;
	/** A Bearer token for the same admin (OAuth burst limits apply). */
	oauthToken: string;
	companyId: number;
	/** Token for the HTTP admin API under /__sandbox/ (header x-sandbox-admin-token). */
	adminToken: string;
	admin: {
		reset(): void;
		snapshot(options?: SnapshotOptions): SandboxSnapshot;
		counters(): SandboxCounters;
		setFaults(spec: string | FaultSpec | null): void;
		advanceClock(ms: number): void;
		userToken(email: string): string;
	};
	close(): Promise<void>;
}

export const DEFAULT_FILE_SIZE_LIMIT_BYTES = 10 * 1024 * 1024;

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
	const plan = options.plan ?? 'growth';
	const seats = options.seats ?? 3;
	const random = createRandom(options.seed);
	const sandbox = new Sandbox(
		{
			plan,
			seats,
			users: options.users ?? [],
			fileSizeLimitBytes: options.fileSizeLimitBytes ?? DEFAULT_FILE_SIZE_LIMIT_BYTES,
			burstLimit: options.burstLimit,
			dailyBudget: options.dailyBudget ?? dailyBudgetFor(plan, seats),
			headers: options.headers ?? true,
			adminToken:
				options.seed === undefined ? randomBytes(20).toString('hex') : `admin-${random.hex(32)}`,
		},
		random,
		options.clockOffsetMs ?? 0,
		options.stateFile ? loadState(options.stateFile) : undefined,
	);
	if (options.faults) sandbox.setFaults(options.faults);
	if (options.latencyMs || options.jitterMs) {
		sandbox.latency = new Latency({
			ms: options.latencyMs ?? 0,
			jitterMs: options.jitterMs,
			seed: options.latencySeed,
		});
	}
	// The state file is also written shortly after each write, so a killed terminal loses at most
	// the last half second of a dry run; close() writes it once more.
	let pendingSave: NodeJS.Timeout | undefined;
	const stateFile = options.stateFile;
	if (stateFile) {
		sandbox.onWrite = () => {
			pendingSave ??= setTimeout(() => {
				pendingSave = undefined;
				saveState(stateFile, sandbox.state);
			}, 500).unref();
		};
	}

	const server: Server = createServer((req, res) => {
		sandbox.handle(req, res).catch(() => {
			// A bug in the sandbox must still answer like a server would, without echoing request data.
			if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ success: false, error: 'Internal sandbox error', errorCode: 500 }));
		});
	});
	// Idle connections stay open far past the client's own keep-alive (undici: 4 s), so the client
	// always closes first: at Node's 5 s default, a client on a loaded machine reused sockets the
	// server had just closed (UND_ERR_SOCKET), and Commit looked each such write up before sending
	// it again (bench:scale: 514 of 6,742 writes at load 11).
	server.keepAliveTimeout = 65_000;
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
	});
	const address = server.address() as AddressInfo;
	const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

	let closed = false;
	return {
		baseUrl: `http://${host}:${address.port}`,
		apiToken: sandbox.apiToken,
		oauthToken: sandbox.oauthToken,
		companyId: sandbox.state.company.id,
		adminToken: sandbox.settings.adminToken,
		admin: {
			reset: () => sandbox.reset(),
			snapshot: (snapshotOptions) => sandbox.snapshot(snapshotOptions),
			counters: () => sandbox.getCounters(),
			setFaults: (spec) => sandbox.setFaults(spec),
			advanceClock: (ms) => sandbox.clock.advance(ms),
			userToken: (email) => sandbox.userToken(email),
		},
		close: async () => {
			if (closed) return;
			closed = true;
			clearTimeout(pendingSave);
			if (stateFile) saveState(stateFile, sandbox.state);
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
