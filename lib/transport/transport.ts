/**
 * The engine's only door to HTTP. n8n nodes implement it over
 * `this.helpers.httpRequestWithAuthentication` (credentials, proxies and logging apply);
 * the CLI, demo and tests use `FetchTransport`. Auth and base URL belong to the transport,
 * so the engine never sees a token.
 */
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface HttpRequest {
	method: HttpMethod;
	/** Path below the base URL, e.g. `/api/v2/persons` or `/api/v1/notes/12`. */
	path: string;
	query?: Record<string, string | number | boolean | undefined>;
	/** JSON body. */
	body?: unknown;
	/** multipart/form-data body (file upload): text fields plus one file part named `file`. */
	multipart?: {
		fields: Record<string, string>;
		file: { name: string; data: Buffer; contentType: string };
	};
}

export interface HttpResponse {
	status: number;
	/** Lower-case header names. */
	headers: Record<string, string>;
	/** Parsed JSON, or a Buffer for binary responses, or a string for other text. */
	body: unknown;
}

/**
 * Resolves with any HTTP status (4xx/5xx included); rejects only with a TransportError when
 * no HTTP response arrived (connection refused, reset, timeout).
 */
export interface HttpTransport {
	request(req: HttpRequest): Promise<HttpResponse>;
}

export class TransportError extends Error {
	constructor(
		message: string,
		/** `ECONNRESET`, `ECONNREFUSED`, `ETIMEDOUT`, … */
		readonly code: string,
	) {
		super(message);
		this.name = 'TransportError';
	}
}

/** Connection failures that mean no server answers at the base URL (a wrong URL, a server stopped). */
const NO_SERVER_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_INVALID_URL']);

/**
 * Whether `error` says nothing listens at the base URL. Such a request never reached a server,
 * and repeating it at once gets the same answer: callers stop with one message instead of
 * backing off (the configuration or the server needs a person).
 */
export function noServerAtBaseUrl(error: unknown): error is TransportError {
	return error instanceof TransportError && NO_SERVER_CODES.has(error.code);
}
