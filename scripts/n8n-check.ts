import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { applySettings, loadWorkflow } from '../runner/workflowFile';
import {
	executionError,
	freePort,
	nodeItems,
	waitForHealth,
	withCredentialIds,
} from './n8n-check/n8nApp';
import { run, start, StepFailed, trailingJson } from './n8n-check/processes';
import { n8nEnvironment } from './n8n-check/environment';
import { installPackedNodes } from './n8n-check/packedNodes';
import { ensureRuntime, N8N_VERSION, type Runtime } from './n8n-check/runtime';

/**
 * `npm run test:n8n`: this package inside the real n8n application. Installs n8n and Node 24
 * into a cache outside the repository (reused), installs the packed package as a community
 * package, imports and executes the workflows of scripts/n8n-check.config.json against the local
 * sandbox and asserts their output, then starts n8n and checks our node and credential types are
 * registered. Prints how long each part took; exits 1 with a one-line reason on any failure.
 */

const root = join(__dirname, '..');

interface CheckConfig {
	credentials: Array<{ id: string; name: string; type: string; data: Record<string, unknown> }>;
	workflows: Array<{
		file: string;
		settings?: Record<string, unknown>;
		/** `last`: only the node's last item is matched (nodes whose item count varies). */
		expect: { node: string; items: unknown[]; match?: 'all' | 'last' };
	}>;
}

const timings: Array<{ step: string; seconds: number }> = [];

async function step<T>(name: string | ((result: T) => string), work: () => Promise<T>): Promise<T> {
	const began = performance.now();
	const result = await work();
	const seconds = (performance.now() - began) / 1000;
	const label = typeof name === 'string' ? name : name(result);
	timings.push({ step: label, seconds });
	process.stdout.write(`ok  ${label} (${seconds.toFixed(1)} s)\n`);
	return result;
}

/** `${sandbox.baseUrl}`-style placeholders in every string of a config value. */
function fill<T>(value: T, values: Record<string, string>): T {
	return JSON.parse(
		JSON.stringify(value).replace(/\$\{([\w.]+)\}/g, (placeholder, name: string) => {
			if (!(name in values))
				throw new StepFailed(`Unknown placeholder ${placeholder} in the config`);
			return values[name];
		}),
	) as T;
}

/** Whether `actual` holds everything `expected` holds (objects by key, arrays item by item). */
function contains(actual: unknown, expected: unknown): boolean {
	if (Array.isArray(expected)) {
		return (
			Array.isArray(actual) &&
			actual.length === expected.length &&
			expected.every((item, index) => contains(actual[index], item))
		);
	}
	if (typeof expected === 'object' && expected !== null) {
		return (
			typeof actual === 'object' &&
			actual !== null &&
			Object.entries(expected).every(([key, value]) =>
				contains((actual as Record<string, unknown>)[key], value),
			)
		);
	}
	return actual === expected;
}

/** Names of the node and credential types package.json declares, read from the built files. */
function declaredTypes(): { nodes: string[]; credentials: string[] } {
	const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
		name: string;
		n8n: { nodes: string[]; credentials: string[] };
	};
	const namesIn = (files: string[]) =>
		files.flatMap((file) =>
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			Object.values(require(join(root, file)) as Record<string, new () => unknown>).map(
				(Class) => new Class() as { name?: string; description?: { name: string } },
			),
		);
	return {
		nodes: namesIn(manifest.n8n.nodes).map((n) => `${manifest.name}.${n.description?.name}`),
		credentials: namesIn(manifest.n8n.credentials).map((c) => String(c.name)),
	};
}

/**
 * The type lists n8n serves its editor (/types/*.json) need a signed-in user: set up the owner of
 * this fresh instance (a throwaway account in the temporary user folder) and keep its cookie.
 */
async function ownerSession(base: string): Promise<string> {
	const response = await fetch(`${base}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({
			email: 'owner@n8n-check.invalid',
			firstName: 'Check',
			lastName: 'Owner',
			password: `Check-${randomBytes(8).toString('hex')}-9Z`,
		}),
	});
	if (!response.ok) throw new StepFailed(`POST /rest/owner/setup answered HTTP ${response.status}`);
	return response.headers
		.getSetCookie()
		.map((cookie) => cookie.split(';')[0])
		.join('; ');
}

async function main(): Promise<void> {
	const config = JSON.parse(
		readFileSync(join(root, 'scripts', 'n8n-check.config.json'), 'utf8'),
	) as CheckConfig;
	const work = mkdtempSync(join(tmpdir(), 'n8n-check-'));
	const userFolder = join(work, 'user');
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	let sandbox: { baseUrl: string; apiToken: string; close(): Promise<void> } | undefined;
	let n8nServer: ReturnType<typeof start> | undefined;
	let succeeded = false;
	try {
		const installed: Runtime = await step(
			({ reused }) => `n8n ${N8N_VERSION} + Node 24 runtime (${reused ? 'cached' : 'installed'})`,
			ensureRuntime,
		).then(({ runtime: installed }) => installed);

		await step('npm run build, npm pack, install the package as a community package', () =>
			installPackedNodes(work, nodesDir),
		);

		const { startSandbox } = (await import('../sandbox')) as {
			startSandbox(options: { seed: number }): Promise<NonNullable<typeof sandbox>>;
		};
		sandbox = await startSandbox({ seed: 2041 });
		const values = {
			'sandbox.baseUrl': sandbox.baseUrl,
			'sandbox.apiToken': sandbox.apiToken,
			repo: root,
			work,
		};

		const port = await freePort();
		const env = n8nEnvironment({
			node: installed.node,
			userFolder,
			encryptionKey: randomBytes(24).toString('hex'),
			port,
			brokerPort: await freePort(),
		});
		const n8n = (args: string[], allowFailure = false) =>
			run(installed.node, [installed.n8n, ...args], { env, allowFailure });

		const credentialsFile = join(work, 'credentials.json');
		writeFileSync(credentialsFile, JSON.stringify(fill(config.credentials, values)));
		await step('n8n import:credentials', () =>
			n8n(['import:credentials', `--input=${credentialsFile}`]),
		);

		const workflows = config.workflows.map((entry, index) => {
			const workflow = loadWorkflow(join(root, entry.file));
			applySettings(workflow, fill(entry.settings ?? {}, values));
			withCredentialIds(workflow, config.credentials);
			if (!workflow.id)
				throw new StepFailed(`${entry.file} needs a fixed "id" to be imported and executed`);
			const file = join(work, `workflow-${index}.json`);
			writeFileSync(file, JSON.stringify(workflow));
			return { ...entry, id: workflow.id, importFile: file };
		});
		for (const workflow of workflows) {
			await step(`n8n import:workflow ${workflow.file}`, () =>
				n8n(['import:workflow', `--input=${workflow.importFile}`]),
			);
		}
		for (const workflow of workflows) {
			await step(`n8n execute ${workflow.file}`, async () => {
				const result = await run(
					installed.node,
					[installed.n8n, 'execute', `--id=${workflow.id}`, '--rawOutput'],
					{ env, allowFailure: true, stdoutFile: join(work, `execute-${workflow.id}.out`) },
				);
				// n8n prints the run as JSON after its log lines, also when a node failed (exit 1).
				const runJson = trailingJson(result.stdout, `n8n execute ${workflow.file}`);
				const failure = executionError(runJson);
				if (failure || result.code !== 0) {
					throw new StepFailed(
						`n8n execute ${workflow.file} failed${failure ? ` in node "${failure.node}": ${failure.message}` : ` with exit code ${result.code}`}`,
					);
				}
				const all = nodeItems(runJson, workflow.expect.node);
				const items = workflow.expect.match === 'last' ? all.slice(-1) : all;
				if (!contains(items, workflow.expect.items)) {
					throw new StepFailed(
						`${workflow.file}: node "${workflow.expect.node}" gave ${items.length} item(s) that do not match ` +
							`the ${workflow.expect.items.length} expected in scripts/n8n-check.config.json`,
					);
				}
			});
		}

		const server = start(installed.node, [installed.n8n, 'start'], env);
		n8nServer = server;
		const base = `http://127.0.0.1:${port}`;
		await step('n8n start until /healthz answers', () =>
			waitForHealth(`${base}/healthz`, server, 180_000),
		);
		// /healthz answers as soon as n8n listens; its REST routes exist once it is fully ready.
		await step('n8n ready (/healthz/readiness)', () =>
			waitForHealth(`${base}/healthz/readiness`, server, 180_000),
		);
		await step('our node and credential types registered in n8n', async () => {
			const declared = declaredTypes();
			if (declared.nodes.length + declared.credentials.length === 0) {
				throw new StepFailed('package.json declares no node or credential types in its n8n block');
			}
			const cookie = await ownerSession(base);
			const registered = async (path: string) => {
				const response = await fetch(`${base}${path}`, { headers: { cookie } });
				if (!response.ok) throw new StepFailed(`GET ${path} answered HTTP ${response.status}`);
				return ((await response.json()) as Array<{ name: string }>).map((type) => type.name);
			};
			const registeredNodes = await registered('/types/nodes.json');
			const registeredCredentials = await registered('/types/credentials.json');
			const missing = [
				...declared.nodes.filter((name) => !registeredNodes.includes(name)),
				...declared.credentials.filter((name) => !registeredCredentials.includes(name)),
			];
			if (missing.length > 0) throw new StepFailed(`Not registered in n8n: ${missing.join(', ')}`);
		});
		await step('n8n stop (SIGTERM)', () => server.stop());
		n8nServer = undefined;
		succeeded = true;
	} finally {
		await n8nServer?.stop();
		await sandbox?.close();
		const total = timings.reduce((sum, t) => sum + t.seconds, 0);
		process.stdout.write(`\nTimings (s):\n`);
		for (const { step: name, seconds } of timings) {
			process.stdout.write(`${seconds.toFixed(1).padStart(7)}  ${name}\n`);
		}
		process.stdout.write(`${total.toFixed(1).padStart(7)}  total\n`);
		if (succeeded) rmSync(work, { recursive: true, force: true });
		else process.stdout.write(`n8n user folder kept for diagnosis: ${userFolder}\n`);
	}
}

main().catch((error: Error) => {
	// Details (command output) first, then the one line that says what failed.
	const [reason, ...details] = (
		error instanceof StepFailed ? error.message : String(error.stack)
	).split('\n');
	if (details.length > 0) process.stderr.write(`${details.join('\n')}\n`);
	process.stderr.write(`test:n8n failed: ${reason}\n`);
	process.exitCode = 1;
});
