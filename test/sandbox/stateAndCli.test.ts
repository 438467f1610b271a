import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSandbox, type RunningSandbox } from '../../sandbox';
import { parseCliArguments } from '../../sandbox/cli';
import { client } from './sandboxClient';

describe('sandbox snapshot, reset and state file', () => {
	let dir: string;
	const open: RunningSandbox[] = [];
	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'sandbox-state-'));
	});
	afterEach(async () => {
		await Promise.all(open.splice(0).map((sb) => sb.close()));
		rmSync(dir, { recursive: true, force: true });
	});
	const start = async (options: Parameters<typeof startSandbox>[0] = {}) => {
		const sb = await startSandbox({ burstLimit: 1000, ...options });
		open.push(sb);
		return sb;
	};

	it('snapshots deterministically; live snapshots leave soft-deleted records out', async () => {
		const sb = await start({ seed: 3 });
		const call = client(sb);
		const before = sb.admin.snapshot({ live: true });
		const org = await call('POST', '/api/v2/organizations', { name: 'Temp' });
		const person = await call('POST', '/api/v2/persons', {
			name: 'Temp',
			org_id: org.body.data.id,
		});
		await call('POST', '/api/v1/notes', { content: 'n', person_id: person.body.data.id });
		expect(JSON.stringify(sb.admin.snapshot())).toBe(JSON.stringify(sb.admin.snapshot()));
		expect(sb.admin.snapshot({ live: true })).not.toEqual(before);
		await call('DELETE', '/api/v1/notes/1');
		await call('DELETE', `/api/v2/persons/${person.body.data.id}`);
		await call('DELETE', `/api/v2/organizations/${org.body.data.id}`);
		expect(sb.admin.snapshot({ live: true })).toEqual(before);
		const full = sb.admin.snapshot();
		expect(full.persons.map((p) => [p.name, p.is_deleted])).toEqual([['Temp', true]]);
		expect(full.notes.map((n) => n.active_flag)).toEqual([false]);
		expect(Object.keys(full.persons[0])).toEqual([...Object.keys(full.persons[0])].sort());
		expect(JSON.stringify(full)).not.toContain(sb.apiToken);
	});

	it('compares restored records ignoring update_time with omitUpdateTimes', async () => {
		const sb = await start();
		const call = client(sb);
		const id = (await call('POST', '/api/v2/persons', { name: 'Before' })).body.data.id;
		const before = sb.admin.snapshot({ live: true, omitUpdateTimes: true });
		sb.admin.advanceClock(60_000);
		await call('PATCH', `/api/v2/persons/${id}`, { name: 'After' });
		sb.admin.advanceClock(60_000);
		await call('PATCH', `/api/v2/persons/${id}`, { name: 'Before' });
		expect(sb.admin.snapshot({ live: true })).not.toEqual(
			sb.admin.snapshot({ live: true, omitUpdateTimes: true }),
		);
		expect(sb.admin.snapshot({ live: true, omitUpdateTimes: true })).toEqual(before);
	});

	it('resets to a fresh company, keeping users and tokens', async () => {
		const sb = await start({ users: [{ name: 'U', email: 'u@practice.test' }] });
		const call = client(sb);
		const fresh = sb.admin.snapshot();
		await call('POST', '/api/v2/personFields', { field_name: 'F', field_type: 'varchar' });
		await call('POST', '/api/v2/persons', { name: 'P' });
		sb.admin.reset();
		const after = sb.admin.snapshot();
		expect(after.persons).toEqual([]);
		expect(after.fields).toEqual(fresh.fields);
		expect(after.users).toEqual(fresh.users);
		expect(after.pipelines.map((p) => [p.id, p.name])).toEqual([[1, 'Pipeline']]);
		expect(sb.admin.counters()).toEqual({
			requests: {},
			tokens: {},
			tokensUsed: 0,
			status429: 0,
			byStatus: {},
		});
		expect((await call('POST', '/api/v2/persons', { name: 'Q' })).body.data.id).toBe(1);
	});

	it('writes the state file after a write, before close', async () => {
		const stateFile = join(dir, 'live.json');
		const sb = await start({ stateFile });
		await client(sb)('POST', '/api/v2/persons', { name: 'Saved early' });
		const saved = async (): Promise<string[]> => {
			for (;;) {
				if (existsSync(stateFile)) {
					const state = JSON.parse(readFileSync(stateFile, 'utf8')) as {
						state: { records: { persons: Record<string, { name: string }> } };
					};
					return Object.values(state.state.records.persons).map((p) => p.name);
				}
				await new Promise((r) => setTimeout(r, 50));
			}
		};
		expect(await saved()).toEqual(['Saved early']);
	});

	it('keeps the account across restarts in a state file', async () => {
		const stateFile = join(dir, 'sandbox.json');
		const first = await start({ stateFile });
		const field = (
			await client(first)('POST', '/api/v2/personFields', {
				field_name: 'Key',
				field_type: 'varchar',
			})
		).body.data.field_code;
		await client(first)('POST', '/api/v2/persons', {
			name: 'Kept',
			custom_fields: { [field]: 'k1' },
		});
		const token = first.apiToken;
		await first.close();
		const second = await start({ stateFile });
		expect(second.apiToken).toBe(token);
		const list = await client(second)('GET', '/api/v2/persons');
		expect(
			list.body.data.map((p: { name: string; custom_fields: Record<string, string> }) => [
				p.name,
				p.custom_fields[field],
			]),
		).toEqual([['Kept', 'k1']]);
		const next = await client(second)('POST', '/api/v2/persons', { name: 'Next' });
		expect(next.body.data.id).toBe(2);
		writeFileSync(join(dir, 'bad.json'), JSON.stringify({ version: 9 }));
		await expect(startSandbox({ stateFile: join(dir, 'bad.json') })).rejects.toThrow(
			`sandbox state file ${join(dir, 'bad.json')} is not a version 1 sandbox state; move it away to start fresh`,
		);
	});
});

describe('sandbox CLI', () => {
	it('parses options and explains bad ones', () => {
		expect(
			parseCliArguments([
				'--port',
				'0',
				'--plan',
				'premium',
				'--seats',
				'4',
				'--faults',
				'seed=2,rate=0.5,kinds=503',
			]),
		).toEqual({
			port: 0,
			plan: 'premium',
			seats: 4,
			faults: { seed: 2, rate: 0.5, kinds: ['503'] },
		});
		expect(() => parseCliArguments(['--plan', 'gold'])).toThrow(
			'--plan must be one of lite, growth, premium, ultimate',
		);
		expect(() => parseCliArguments(['--seats', '0'])).toThrow(
			'--seats needs a positive whole number',
		);
		expect(() => parseCliArguments(['--port'])).toThrow('--port needs a value');
		expect(() => parseCliArguments(['--verbose'])).toThrow('unknown option --verbose');
		const dir = mkdtempSync(join(tmpdir(), 'sandbox-users-'));
		try {
			const users = join(dir, 'users.json');
			writeFileSync(
				users,
				JSON.stringify([
					{ name: 'A', email: 'a@x.test' },
					{ name: 'B', email: 'A@x.test' },
				]),
			);
			expect(() => parseCliArguments(['--users', users])).toThrow(
				`--users ${users}: entry 2: "email" is already used by another user`,
			);
			writeFileSync(users, JSON.stringify([{ name: 'A', email: 'not an email' }]));
			expect(() => parseCliArguments(['--users', users])).toThrow(
				`--users ${users}: entry 1: "email" must be an email address`,
			);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	/**
	 * Spawned in its own process group and stopped by signalling the group, as a terminal's Ctrl+C
	 * does: `npx` itself does not relay SIGTERM to the sandbox it started.
	 */
	function runCli(args: string[]) {
		const child = spawn('npx', ['tsx', 'sandbox/cli.ts', ...args], {
			cwd: resolve(__dirname, '../..'),
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		let out = '';
		child.stdout?.on('data', (chunk: Buffer) => {
			out += chunk.toString();
		});
		const ready = new Promise<{ baseUrl: string; token: string }>((resolveReady, reject) => {
			child.stdout?.on('data', () => {
				const url = /base URL:\s+(\S+)/.exec(out)?.[1];
				const token = /API token:\s+(\S+)/.exec(out)?.[1];
				if (url && token) resolveReady({ baseUrl: url, token });
			});
			child.on('exit', () => reject(new Error('sandbox CLI exited before printing its base URL')));
		});
		/** Resolves when every process of the group has closed its end of stdout. */
		const closed = new Promise<void>((r) => child.stdout?.on('close', () => r()));
		const signal = (name: NodeJS.Signals): void => {
			try {
				process.kill(-(child.pid as number), name);
			} catch {
				// the group has already gone
			}
		};
		return { ready, closed, signal, output: () => out };
	}

	it('starts with npx tsx, prints base URL and token, serves, and saves state on SIGTERM', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'sandbox-cli-'));
		const usersFile = join(dir, 'users.json');
		const stateFile = join(dir, 'state.json');
		writeFileSync(
			usersFile,
			JSON.stringify([
				{ name: 'Dr. Claes', email: 'claes@practice.test' },
				{ name: 'Left', email: 'left@practice.test', active: false },
			]),
		);
		const args = ['--port', '0', '--plan', 'lite', '--users', usersFile, '--state', stateFile];
		const first = runCli(args);
		try {
			const { baseUrl, token } = await first.ready;
			const headers = { 'x-api-token': token, 'content-type': 'application/json' };
			const users = (await (await fetch(`${baseUrl}/api/v1/users`, { headers })).json()) as {
				data: Array<{ email: string; active_flag: boolean }>;
			};
			expect(users.data.map((u) => [u.email, u.active_flag])).toEqual([
				['admin@sandbox.test', true],
				['claes@practice.test', true],
				['left@practice.test', false],
			]);
			const created = await fetch(`${baseUrl}/api/v2/persons`, {
				method: 'POST',
				headers,
				body: JSON.stringify({ name: 'Dry run' }),
			});
			expect(created.headers.get('x-ratelimit-limit')).toBe('20');
			first.signal('SIGTERM');
			await first.closed;
			expect(first.output()).toContain(`sandbox stopped (SIGTERM), state saved to ${stateFile}`);
			const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as {
				state: { records: { persons: Record<string, { name: string }> } };
			};
			expect(Object.values(saved.state.records.persons).map((p) => p.name)).toEqual(['Dry run']);

			const restarted = runCli(args);
			try {
				const again = await restarted.ready;
				expect(again.token).toBe(token);
				const list = (await (
					await fetch(`${again.baseUrl}/api/v2/persons`, { headers })
				).json()) as { data: Array<{ name: string }> };
				expect(list.data.map((p) => p.name)).toEqual(['Dry run']);
				restarted.signal('SIGINT');
				await restarted.closed;
				expect(restarted.output()).toContain('sandbox stopped (SIGINT)');
			} finally {
				restarted.signal('SIGKILL');
			}
		} finally {
			first.signal('SIGKILL');
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
