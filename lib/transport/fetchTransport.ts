import type { HttpRequest, HttpResponse, HttpTransport } from './transport';
import { TransportError } from './transport';
import {
	DEFAULT_TIMEOUT_MS,
	decodeResponseBody,
	multipartBody,
	networkErrorCode,
	queryParams,
} from './wire';

/** An API token (Pipedrive `x-api-token`) or an OAuth access token (`Authorization: Bearer`). */
export type FetchTransportOptions = { baseUrl: string; timeoutMs?: number } & (
	| { apiToken: string }
	| { accessToken: string }
);

/**
 * HttpTransport over Node's fetch, for what runs outside n8n: CLIs, the demo, benchmarks and
 * tests. The token lives only in this object's request headers.
 */
export class FetchTransport implements HttpTransport {
	private readonly baseUrl: string;
	private readonly authHeaders: Record<string, string>;
	private readonly timeoutMs: number;

	constructor(options: FetchTransportOptions) {
		this.baseUrl = options.baseUrl.replace(/\/+$/, '');
		this.authHeaders =
			'apiToken' in options
				? { 'x-api-token': options.apiToken }
				: { authorization: `Bearer ${options.accessToken}` };
		this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	}

	async request(req: HttpRequest): Promise<HttpResponse> {
		const url = new URL(this.baseUrl + req.path);
		for (const [name, value] of Object.entries(queryParams(req.query))) {
			url.searchParams.set(name, value);
		}
		const headers: Record<string, string> = { ...this.authHeaders, accept: 'application/json' };
		let body: string | FormData | undefined;
		if (req.multipart) {
			body = multipartBody(req.multipart); // fetch sets the multipart content type and boundary
		} else if (req.body !== undefined) {
			headers['content-type'] = 'application/json';
			body = JSON.stringify(req.body);
		}
		let response: Response;
		let bytes: Buffer;
		try {
			response = await fetch(url, {
				method: req.method,
				headers,
				body,
				signal: AbortSignal.timeout(this.timeoutMs),
			});
			bytes = Buffer.from(await response.arrayBuffer());
		} catch (error) {
			const code = networkErrorCode(error) ?? 'ENETWORK';
			throw new TransportError(`${req.method} ${req.path} got no response (${code})`, code);
		}
		const responseHeaders: Record<string, string> = {};
		response.headers.forEach((value, name) => (responseHeaders[name] = value));
		return {
			status: response.status,
			headers: responseHeaders,
			body: decodeResponseBody(responseHeaders['content-type'], bytes),
		};
	}
}
