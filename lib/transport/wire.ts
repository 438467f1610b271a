import type { HttpRequest } from './transport';

/** What both transports (n8n's and fetch) do the same way on the wire, so they cannot drift apart. */

/** A request that gets no answer in this time fails as a TransportError (`ETIMEDOUT`). */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** Query values as strings; `undefined` means "leave the parameter out". */
export function queryParams(query: HttpRequest['query']): Record<string, string> {
	const params: Record<string, string> = {};
	for (const [name, value] of Object.entries(query ?? {})) {
		if (value !== undefined) params[name] = String(value);
	}
	return params;
}

/** The multipart body of a file upload: the text fields, then the file part named `file`. */
export function multipartBody(multipart: NonNullable<HttpRequest['multipart']>): FormData {
	const form = new FormData();
	for (const [name, value] of Object.entries(multipart.fields)) form.append(name, value);
	const { name, data, contentType } = multipart.file;
	form.append('file', new Blob([data], { type: contentType }), name);
	return form;
}

/**
 * Response bodies are read as bytes and decoded by content type: JSON parsed, text as a string,
 * anything else (a downloaded file) kept as a Buffer. A JSON body that does not parse is kept
 * as text so the caller can report it instead of failing on it.
 */
export function decodeResponseBody(contentType: string | undefined, bytes: Buffer): unknown {
	const type = (contentType ?? '').toLowerCase();
	if (bytes.length === 0) return type.includes('json') ? null : '';
	if (type.includes('json')) {
		const text = bytes.toString('utf8');
		try {
			return JSON.parse(text) as unknown;
		} catch {
			return text;
		}
	}
	if (type.startsWith('text/') || type.includes('xml') || type.includes('html')) {
		return bytes.toString('utf8');
	}
	return bytes;
}

/** Socket-level failure codes: the request got no HTTP response at all. */
const NETWORK_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ECONNABORTED',
	'ETIMEDOUT',
	'EPIPE',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'UND_ERR_SOCKET',
	'UND_ERR_CONNECT_TIMEOUT',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/**
 * The network failure code of an error thrown by an HTTP client, looking through the wrappers
 * (fetch's `cause`, axios' `code`, n8n's NodeApiError `cause`); undefined for any other error.
 */
export function networkErrorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
		const { code, name } = current as { code?: unknown; name?: unknown };
		if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
		if (name === 'TimeoutError' || name === 'AbortError') return 'ETIMEDOUT';
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/** Header names in lower case with string values, as `HttpResponse.headers` promises. */
export function normaliseHeaders(headers: Record<string, unknown>): Record<string, string> {
	const normalised: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined || value === null) continue;
		normalised[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
	}
	return normalised;
}
