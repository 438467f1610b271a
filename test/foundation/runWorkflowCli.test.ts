import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parseRunArguments, parseSettingValue, UsageError } from '../../runner/cliArguments';
import { startSandbox } from '../../sandbox';
import { startLoopbackServer, type LoopbackServer } from '../helpers/loopbackServer';

const root = join(__dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const script = join(root, 'scripts', 'run-workflow.ts');
const smokeWorkflow = join(root, 'test', 'fixtures', 'n8n-smoke.workflow.json');
const TOKEN = 'cli-test-token-77d2';

// Each case starts a process that loads n8n (~6 s idle, much more on a busy 2-core machine).
jest.setTimeout(180_000);

interface Outcome {
	code: number;
	stdout: string;
	stderr: string;
}

/** `npm run workflow -- …` as a consultant runs it: a child process through tsx. */
function runCli(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
	return new Promise((resolve) => {
		execFile(
			tsx,
			[script, ...args],
			{ cwd: root, env: { ...process.env, PIPEDRIVE_URL: '', PIPEDRIVE_TOKEN: '', ...env } },
			(error, stdout, stderr) => {
				const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
				resolve({ code, stdout, stderr });
			},
		);
	});
}

describe('npm run workflow', () => {
	let server: LoopbackServer;
	let outDir: string;

	beforeAll(async () => {
		server = await startLoopbackServer((request) =>
			request.url === '/api/v1/users/me'
				? {
						body: {
							success: true,
							data: { id: 7, token_seen: request.headers['x-api-token'] === TOKEN },
						},
					}
				: { status: 500, body: { success: false, error: 'Internal error' } },
		);
		outDir = mkdtempSync(join(tmpdir(), 'run-workflow-test-'));
	});

	afterAll(async () => {
		await server.close();
		rmSync(outDir, { recursive: true, force: true });
	});

	it('applies --set to Migration settings and prints the last node’s items as JSON', async () => {
		const outcome = await runCli([
			smokeWorkflow,
			'--set',
			`pipedriveUrl=${server.url}`,
			'--set=runId=2026',
			'--pipedrive-url',
			server.url,
			'--pipedrive-token',
			TOKEN,
		]);

		expect(outcome.stderr).toBe('');
		expect(outcome.code).toBe(0);
		expect(JSON.parse(outcome.stdout)).toEqual([
			{ success: true, data: { id: 7, token_seen: true } },
		]);
		expect(outcome.stdout).not.toContain(TOKEN);
	});

	it('writes to --out and takes the token from PIPEDRIVE_TOKEN', async () => {
		const out = join(outDir, 'items.json');
		const outcome = await runCli(
			[smokeWorkflow, '--set', `pipedriveUrl=${server.url}`, '--out', out],
			{
				PIPEDRIVE_TOKEN: TOKEN,
			},
		);

		expect(outcome).toEqual({ code: 0, stdout: '', stderr: '' });
		expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual([
			{ success: true, data: { id: 7, token_seen: true } },
		]);
	});

	it('exits 1 with one line naming the failing node and its message', async () => {
		const outcome = await runCli([
			smokeWorkflow,
			'--set',
			`pipedriveUrl=${server.url}/broken`,
			'--pipedrive-token',
			TOKEN,
		]);

		expect(outcome).toEqual({
			code: 1,
			stdout: '',
			stderr:
				'Workflow failed in node "Get current user": The service was not able to process your request\n',
		});
	});

	it('exits 2 with the usage on a usage mistake', async () => {
		const outcome = await runCli([smokeWorkflow, '--sett', 'x=1']);

		expect(outcome.code).toBe(2);
		expect(outcome.stderr).toBe(
			'unknown option --sett\nUsage: npm run workflow -- <workflow.json> [--set key=value ...] ' +
				'[--pipedrive-url URL] [--pipedrive-token TOKEN] [--credentials FILE] [--out FILE] ' +
				'[--progress]\n',
		);
	});

	it('with --progress prints the commit’s progress lines on stderr: counts only', async () => {
		const sandbox = await startSandbox({ seed: 3, burstLimit: 1000 });
		try {
			const outcome = await runCli([
				join(root, 'workflows', 'dental-exec', '4-sample-migration.json'),
				'--set',
				`exportDir=${join(root, 'samples', 'dental-exec')}`,
				'--set',
				`journalDir=${join(outDir, 'journal')}`,
				'--set=confirmUnattended=true',
				'--set=sampleSize=4',
				'--pipedrive-url',
				sandbox.baseUrl,
				'--pipedrive-token',
				sandbox.apiToken,
				'--out',
				join(outDir, 'sample.json'),
				'--progress',
			]);
			expect(outcome.code).toBe(0);
			// Every line is a progress line (nothing from a record), the last one counts every
			// record the commit created in the empty sandbox.
			const lines = outcome.stderr.trimEnd().split('\n');
			const parsed = lines.map((line) => /^Commit: (\d+)\/(\d+) records, (\d+) tokens$/.exec(line));
			expect(lines.filter((_, index) => !parsed[index])).toEqual([]);
			const { persons, organizations, deals, activities, notes, files, leads } =
				sandbox.admin.snapshot({ live: true });
			const created = [persons, organizations, deals, activities, notes, files, leads].flat()
				.length;
			const last = parsed[parsed.length - 1]!;
			expect(`${last[1]}/${last[2]}`).toBe(`${created}/${created}`);
			expect(Number(last[3])).toBeGreaterThan(0);
		} finally {
			await sandbox.close();
		}
	});
});

describe('workflow runner arguments', () => {
	it('parses values only where they are unambiguous', () => {
		expect(parseSettingValue('25')).toBe(25);
		expect(parseSettingValue('-1.5')).toBe(-1.5);
		expect(parseSettingValue('true')).toBe(true);
		expect(parseSettingValue('false')).toBe(false);
		expect(parseSettingValue('null')).toBeNull();
		expect(parseSettingValue('{"a":[1,2]}')).toEqual({ a: [1, 2] });
		expect(parseSettingValue('["x"]')).toEqual(['x']);
		expect(parseSettingValue('007')).toBe('007');
		expect(parseSettingValue('1e3')).toBe('1e3');
		expect(parseSettingValue('+3247')).toBe('+3247');
		expect(parseSettingValue('{not json')).toBe('{not json');
		expect(parseSettingValue('EUR')).toBe('EUR');
		expect(parseSettingValue('a=b')).toBe('a=b');
	});

	it('reads flags in both forms, with the environment as fallback for Pipedrive', () => {
		expect(
			parseRunArguments(
				['wf.json', '--set', 'a=1', '--set=b=x=y', '--out=o.json', '--credentials', 'c.json'],
				{ PIPEDRIVE_URL: 'http://127.0.0.1:1', PIPEDRIVE_TOKEN: 't' },
			),
		).toEqual({
			workflowPath: 'wf.json',
			settings: { a: 1, b: 'x=y' },
			pipedriveUrl: 'http://127.0.0.1:1',
			pipedriveToken: 't',
			credentialsFile: 'c.json',
			outFile: 'o.json',
			progress: false,
		});
		expect(parseRunArguments(['wf.json', '--progress']).progress).toBe(true);
	});

	it('refuses a missing workflow, a second one, and a --set without key', () => {
		expect(() => parseRunArguments([])).toThrow(new UsageError('Name the workflow JSON file'));
		expect(() => parseRunArguments(['a.json', 'b.json'])).toThrow(
			'One workflow file only, got a.json b.json',
		);
		expect(() => parseRunArguments(['a.json', '--set', '=1'])).toThrow(
			'--set =1: write --set key=value',
		);
		expect(() => parseRunArguments(['a.json', '--out'])).toThrow('--out needs a value');
	});
});
