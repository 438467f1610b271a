import type { HttpRequest, HttpResponse } from '../transport/transport';
import { noServerAtBaseUrl, TransportError } from '../transport/transport';
import { endpointTemplate } from './tokenCosts';

/**
 * A Pipedrive answer that is not a success. The message names the status, the endpoint template
 * (never the query, which can hold search terms) and Pipedrive's own error text, redacted; it
 * never holds a token or a request body value.
 */
export class PipedriveApiError extends Error {
	readonly status: number;
	/** Pipedrive's `code` (e.g. `ERR_SCHEMA_VALIDATION_FAILED`, `feature_capping_…`) or `errorCode`. */
	readonly code?: string;
	/** Pipedrive's `error` text (plus `error_info` when it adds something). */
	readonly pipedriveError: string;
	/** Whether repeating the same request may succeed (429, 5xx). */
	readonly retryable: boolean;
	/** `POST /api/v2/persons`: the endpoint, without ids or query. */
	readonly endpoint: string;

	constructor(options: {
		status: number;
		pipedriveError: string;
		code?: string;
		endpoint: string;
		retryable?: boolean;
	}) {
		super(`Pipedrive answered ${options.status} to ${options.endpoint}: ${options.pipedriveError}`);
		this.name = 'PipedriveApiError';
		this.status = options.status;
		this.code = options.code;
		this.pipedriveError = options.pipedriveError;
		this.endpoint = options.endpoint;
		this.retryable = options.retryable ?? (options.status === 429 || options.status >= 500);
	}
}

/**
 * The account's daily token budget is spent: the run stops cleanly instead of hammering the API.
 * `state` is what a caller needs to resume after `resetAt` (the limiter's counters; the commit
 * adds its own progress).
 */
export class BudgetExhaustedError extends Error {
	readonly resetAt: string;
	readonly state?: unknown;
	/**
	 * True when the refused request itself went out at least once (an attempt answered 429 for
	 * the day, or a retried attempt whose connection dropped); false when the limiter refused it
	 * before any attempt was sent, so it cannot have landed.
	 */
	readonly sent: boolean;

	constructor(
		resetAt: string,
		state?: unknown,
		detail = 'the daily API token budget is spent',
		sent = true,
	) {
		super(
			`Pipedrive stopped: ${detail}. Nothing more was sent; run again after ${resetAt} (when the budget resets) to resume, or buy a token top-up.`,
		);
		this.name = 'BudgetExhaustedError';
		this.resetAt = resetAt;
		this.state = state;
		this.sent = sent;
	}
}

/**
 * A 404 on an endpoint that names no record (a collection, the field lists, `users/me`): such an
 * endpoint always exists on a Pipedrive host, so the base URL points somewhere else.
 */
export function isWrongBaseUrl(error: PipedriveApiError): boolean {
	return error.status === 404 && !/\{|\/\d+(\/|$)/.test(error.endpoint);
}

/** Pipedrive's custom-field keys: 40 hex characters, safe and useful to show. */
const FIELD_KEY = /^[0-9a-f]{40}$/;

/**
 * Pipedrive echoes submitted values in some messages ("Parameter 'x' is not allowed", validation
 * texts), and those values can be patient data. Quoted text is replaced by `'…'` unless it is a
 * custom-field key; e-mail addresses and long digit runs (phones, national numbers) are masked.
 * The one rule: nodes/shared/pipedriveErrors.ts uses it for n8n errors too.
 */
export function redactPipedriveMessage(message: string): string {
	return message
		.replace(/(['"])(.*?)\1/g, (quoted, quote: string, inner: string) =>
			FIELD_KEY.test(inner) ? quoted : `${quote}…${quote}`,
		)
		.replace(/[^\s@'"]+@[^\s@'"]+/g, '…@…')
		.replace(/\+?\d[\d\s./-]{5,}\d/g, '…');
}

export function describeEndpoint(req: Pick<HttpRequest, 'method' | 'path'>): string {
	const bare = req.path.split('?')[0];
	return `${req.method} ${endpointTemplate(req.method, bare) ?? bare}`;
}

/** Builds the error for a non-success response from Pipedrive's envelope. */
export function apiErrorFromResponse(req: HttpRequest, res: HttpResponse): PipedriveApiError {
	const endpoint = describeEndpoint(req);
	const body = res.body;
	if (body && typeof body === 'object' && !Buffer.isBuffer(body)) {
		const envelope = body as Record<string, unknown>;
		const error =
			typeof envelope.error === 'string'
				? redactPipedriveMessage(envelope.error)
				: `HTTP ${res.status}`;
		const info =
			typeof envelope.error_info === 'string' &&
			!envelope.error_info.startsWith('Please check developers')
				? ` (${redactPipedriveMessage(envelope.error_info)})`
				: '';
		const code =
			typeof envelope.code === 'string'
				? envelope.code
				: envelope.errorCode !== undefined
					? String(envelope.errorCode)
					: undefined;
		return new PipedriveApiError({
			status: res.status,
			pipedriveError: error + info,
			code,
			endpoint,
		});
	}
	if (res.status === 403) {
		// Pipedrive's firewall answers an HTML page to clients that kept sending after 429s.
		return new PipedriveApiError({
			status: 403,
			pipedriveError:
				'access denied with a non-JSON page (Pipedrive blocks tokens that keep sending after rate limits); wait before running again',
			endpoint,
			retryable: false,
		});
	}
	return new PipedriveApiError({
		status: res.status,
		pipedriveError: `HTTP ${res.status} without a Pipedrive error body`,
		endpoint,
	});
}

/**
 * The one rule of what is transient: another try may get another answer (429 after the limiter's
 * own tries, 5xx, a dropped connection), and a write may have landed. Setup retries it; the
 * Ledger looks the write up before sending it again. A refused connection is not: no server
 * answers at the base URL, and every try after it would be refused too.
 */
export function isTransientFailure(error: unknown): error is TransportError | PipedriveApiError {
	if (error instanceof TransportError) return !noServerAtBaseUrl(error);
	return error instanceof PipedriveApiError && error.retryable;
}
