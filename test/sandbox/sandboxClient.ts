import { startSandbox, type RunningSandbox } from '../../sandbox';

/** A minimal fetch client for sandbox tests: status, lower-case headers, parsed JSON body. */
/** Response bodies are checked field by field with exact values; their type is left open on purpose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface SandboxResponse {
	status: number;
	headers: Record<string, string>;
	body: Json;
}

export type Call = (
	method: string,
	path: string,
	body?: unknown,
	headers?: Record<string, string>,
) => Promise<SandboxResponse>;

export function client(
	sandbox: RunningSandbox,
	auth: Record<string, string> = { 'x-api-token': sandbox.apiToken },
): Call {
	return async (method, path, body, headers = {}) => {
		const res = await fetch(`${sandbox.baseUrl}${path}`, {
			method,
			headers: {
				...auth,
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
				...headers,
			},
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
		});
		const text = await res.text();
		const type = res.headers.get('content-type') ?? '';
		return {
			status: res.status,
			headers: Object.fromEntries(res.headers),
			body: type.includes('json') ? JSON.parse(text) : text,
		};
	};
}

/** Sandboxes started by a test file with a wide burst limit (unless given), closed after each test. */
export function sandboxesPerTest(): (
	options: Parameters<typeof startSandbox>[0],
) => Promise<RunningSandbox> {
	const open: RunningSandbox[] = [];
	afterEach(async () => {
		await Promise.all(open.splice(0).map((sb) => sb.close()));
	});
	return async (options) => {
		const sb = await startSandbox({ burstLimit: 10_000, ...options });
		open.push(sb);
		return sb;
	};
}
