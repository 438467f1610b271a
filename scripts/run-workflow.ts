import { readFileSync, writeFileSync } from 'node:fs';

import { USAGE, UsageError, parseRunArguments, type RunArguments } from '../runner/cliArguments';

/**
 * `npm run workflow -- <workflow.json> [--set key=value ...] [--pipedrive-url URL]
 * [--pipedrive-token TOKEN] [--credentials FILE] [--out FILE] [--progress]`
 *
 * Runs a workflow headless through the in-process n8n engine and writes the json of the last
 * executed node's output items (stdout or --out). A failing workflow exits 1 with one line
 * naming the node; a usage mistake exits 2. While a long step runs, a progress line of counts
 * (`Commit: 420/1339 records, 312 tokens`) goes to stderr: rewritten in place on a terminal,
 * one line each with --progress.
 */

type Credentials = Record<string, Record<string, unknown>>;

function credentialsFrom(args: RunArguments): Credentials {
	let credentials: Credentials = {};
	if (args.credentialsFile) {
		try {
			credentials = JSON.parse(readFileSync(args.credentialsFile, 'utf8')) as Credentials;
		} catch (error) {
			throw new UsageError(
				`--credentials ${args.credentialsFile} must be a JSON file like ` +
					`{ "dentAdminApi": { "baseUrl": "…", "apiKey": "…" } }: ${(error as Error).message}`,
			);
		}
	}
	if (args.pipedriveUrl !== undefined || args.pipedriveToken !== undefined) {
		credentials.pipedriveMigrationApi = {
			...credentials.pipedriveMigrationApi,
			...(args.pipedriveUrl !== undefined ? { baseUrl: args.pipedriveUrl } : {}),
			...(args.pipedriveToken !== undefined ? { apiToken: args.pipedriveToken } : {}),
		};
	}
	return credentials;
}

/** Secrets that must never be printed, whatever a message echoes. */
function secretsIn(credentials: Credentials): string[] {
	return Object.values(credentials)
		.flatMap((data) => Object.entries(data))
		.filter(([name, value]) => /token|key|secret|password/i.test(name) && typeof value === 'string')
		.map(([, value]) => value as string)
		.filter((value) => value.length >= 4);
}

function oneLine(message: string, secrets: string[]): string {
	const redacted = secrets.reduce((text, secret) => text.split(secret).join('***'), message);
	return redacted.replace(/\s*\n\s*/g, ' ');
}

/** Where the progress lines go: one line kept up to date on a terminal, else a line each. */
function progressLine(forced: boolean): { show?: (line: string) => void; end: () => void } {
	const terminal = process.stderr.isTTY === true;
	let shown = false;
	if (!terminal && !forced) return { end: () => undefined };
	return {
		show: (line) => {
			process.stderr.write(terminal ? `\r\x1b[K${line}` : `${line}\n`);
			shown = true;
		},
		end: () => {
			if (terminal && shown) process.stderr.write('\n');
		},
	};
}

async function main(): Promise<number> {
	let secrets: string[] = [];
	try {
		const args = parseRunArguments(process.argv.slice(2), process.env);
		const credentials = credentialsFrom(args);
		secrets = secretsIn(credentials);
		// Loaded after the arguments are checked: n8n takes seconds to load, a usage line should not.
		const { runWorkflow } = await import('../runner/engine');
		const progress = progressLine(args.progress);
		const result = await runWorkflow(args.workflowPath, {
			credentials,
			settings: args.settings,
			onProgress: progress.show,
		}).finally(progress.end);
		if (result.status === 'error' && result.error) {
			process.stderr.write(
				`${oneLine(`Workflow failed in node "${result.error.node}": ${result.error.message}`, secrets)}\n`,
			);
			return 1;
		}
		const items = result.lastNodeExecuted ? result.output(result.lastNodeExecuted) : [];
		const json = `${JSON.stringify(items, null, 2)}\n`;
		if (args.outFile) writeFileSync(args.outFile, json);
		else process.stdout.write(json);
		return 0;
	} catch (error) {
		const usage = error instanceof UsageError;
		process.stderr.write(
			`${oneLine((error as Error).message, secrets)}${usage ? `\n${USAGE}` : ''}\n`,
		);
		return usage ? 2 : 1;
	}
}

void main().then((code) => {
	process.exitCode = code;
});
