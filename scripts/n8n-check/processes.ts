import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Child processes for the real-n8n check: run to completion, or keep running until stopped. */

export interface Completed {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** Thrown with the command's last output lines, so a failing step explains itself in CI logs. */
export class StepFailed extends Error {}

function tail(text: string, lines = 15): string {
	return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export function run(
	command: string,
	args: string[],
	options: {
		cwd?: string;
		env?: NodeJS.ProcessEnv;
		allowFailure?: boolean;
		/**
		 * Send stdout to this file instead of a pipe. n8n exits right after printing a run's JSON,
		 * and a process that exits with a large write still queued on a pipe loses its end
		 * (megabytes for a reader's output); writes to a file are synchronous and complete.
		 */
		stdoutFile?: string;
		/** Called with the child's pid once it runs (to sample its memory). */
		onSpawn?: (pid: number) => void;
	} = {},
): Promise<Completed> {
	return new Promise((resolve, reject) => {
		const stdoutFd = options.stdoutFile ? openSync(options.stdoutFile, 'w') : undefined;
		const child = spawn(command, args, {
			cwd: options.cwd,
			env: options.env ?? process.env,
			stdio: ['ignore', stdoutFd ?? 'pipe', 'pipe'],
		});
		if (child.pid !== undefined) options.onSpawn?.(child.pid);
		let stdout = '';
		let stderr = '';
		child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
		child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
		child.on('error', reject);
		child.on('close', (code) => {
			if (stdoutFd !== undefined && options.stdoutFile) {
				closeSync(stdoutFd);
				stdout = readFileSync(options.stdoutFile, 'utf8');
			}
			const result = { code, stdout, stderr };
			if (code === 0 || options.allowFailure) resolve(result);
			else
				reject(
					new StepFailed(
						`${command} ${args.join(' ')} exited with ${code}:\n${tail(`${stdout}\n${stderr}`.replace(/^npm warn .*\n?/gm, ''))}`,
					),
				);
		});
	});
}

/** A long-running process (n8n start) with its output collected for diagnosis. */
export interface Background {
	child: ChildProcess;
	output(): string;
	/** SIGTERM, then SIGKILL after `graceMs`; resolves with the time it took to exit. */
	stop(graceMs?: number): Promise<number>;
}

export function start(command: string, args: string[], env: NodeJS.ProcessEnv): Background {
	const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	return {
		child,
		output: () => output,
		stop: async (graceMs = 20_000) => {
			const began = performance.now();
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGTERM');
				const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
				await exited;
				clearTimeout(timer);
			}
			return performance.now() - began;
		},
	};
}

/**
 * The JSON document a CLI printed among its log lines (n8n logs before and after it). Pretty
 * printed JSON opens and closes at column 0, so the first such span that parses is the document.
 * The failure message gives no output: an execution's data may hold record values.
 */
export function trailingJson(output: string, what = 'the output'): unknown {
	const lines = output.split('\n');
	for (let open = 0; open < lines.length; open++) {
		if (!/^[[{]/.test(lines[open])) continue;
		for (let close = open; close < lines.length; close++) {
			if (!/^[\]}]/.test(lines[close]) && close !== open) continue;
			try {
				return JSON.parse(lines.slice(open, close + 1).join('\n')) as unknown;
			} catch {
				// not this span; keep looking
			}
		}
	}
	throw new StepFailed(`No JSON document in ${what} (${output.length} characters)`);
}

/** Ports this process has handed out from a range: each goes to one listener only. */
const handedOut = new Set<number>();

/**
 * A free TCP port on 127.0.0.1 (for n8n, which takes a port number, not 0): any port, or the
 * first free one not yet handed out in `range` ("FROM-TO", inclusive) on a machine where each
 * user of it keeps to a range of its own.
 */
export async function freePort(range?: string): Promise<number> {
	const listen = (port: number) =>
		new Promise<number | undefined>((resolve) => {
			const server = createServer();
			server.once('error', () => resolve(undefined));
			server.listen(port, '127.0.0.1', () => {
				const bound = (server.address() as { port: number }).port;
				server.close(() => resolve(bound));
			});
		});
	if (!range) return (await listen(0)) ?? Promise.reject(new Error('no free port'));
	const match = /^(\d+)-(\d+)$/.exec(range.trim());
	if (!match || Number(match[1]) > Number(match[2]))
		throw new StepFailed(`The port range "${range}" is not FROM-TO (e.g. 42600-42699)`);
	for (let port = Number(match[1]); port <= Number(match[2]); port++) {
		if (handedOut.has(port)) continue;
		if ((await listen(port)) !== undefined) {
			handedOut.add(port);
			return port;
		}
	}
	throw new StepFailed(`No free port left in ${range}`);
}

/** Polls `url` until it answers 200; fails early when n8n exited. */
export async function waitForHealth(
	url: string,
	n8n: Background,
	timeoutMs: number,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (n8n.child.exitCode !== null) {
			throw new StepFailed(
				`n8n start exited with ${n8n.child.exitCode}:\n${n8n.output().slice(-2000)}`,
			);
		}
		try {
			if ((await fetch(url)).status === 200) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new StepFailed(`n8n did not answer ${url} within ${timeoutMs / 1000} s`);
}
