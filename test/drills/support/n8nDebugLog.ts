import { format } from 'node:util';

/**
 * Imported before the n8n engine: its logger reads the level once, when it is first created.
 * The leak scan wants every line n8n would log at the most talkative level, not the runner's
 * silence; `restoreLogLevel` puts the setting back for the test files that run after it.
 */
const before = process.env.N8N_LOG_LEVEL;
process.env.N8N_LOG_LEVEL = 'debug';

export function restoreLogLevel(): void {
	if (before === undefined) delete process.env.N8N_LOG_LEVEL;
	else process.env.N8N_LOG_LEVEL = before;
}

/**
 * n8n's console transport (winston) writes to `console._stdout` / `console._stderr` when the
 * console has them (jest's own console does: its buffer, not process.stdout), and otherwise
 * through `console.log` and its kin as bound when the logger was created. So the console methods
 * are replaced here, before the engine loads, by forwarders to the sink `captureConsole` names,
 * and the console's own streams are redirected while a sink is set.
 */
const METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;
let sink: ((text: string) => void) | undefined;
for (const method of METHODS) {
	const original = console[method].bind(console);
	console[method] = (...args: unknown[]) =>
		sink ? sink(`${format(...args)}\n`) : original(...args);
}
type ConsoleStreams = { _stdout?: NodeJS.WritableStream; _stderr?: NodeJS.WritableStream };
const streams = console as unknown as ConsoleStreams;
const streamWrites = new Map<NodeJS.WritableStream, NodeJS.WritableStream['write']>();

/** Sends everything printed through `console` to `to`; `undefined` gives it back to the console. */
export function captureConsole(to: ((text: string) => void) | undefined): void {
	sink = to;
	for (const stream of [streams._stdout, streams._stderr]) {
		if (!stream || stream === process.stdout || stream === process.stderr) continue;
		if (to) {
			if (!streamWrites.has(stream)) streamWrites.set(stream, stream.write);
			stream.write = ((chunk: unknown) => {
				to(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString());
				return true;
			}) as NodeJS.WritableStream['write'];
		} else if (streamWrites.has(stream)) {
			stream.write = streamWrites.get(stream)!;
			streamWrites.delete(stream);
		}
	}
}
