import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { redactPipedriveMessage } from '../../lib/pipedrive/errors';
import type { HttpResponse } from '../../lib/transport/transport';

export { redactPipedriveMessage };

/** The parts of a Pipedrive error body: `{ success: false, error, error_info, code | errorCode }`. */
function describe(body: unknown): { error?: string; code?: string } {
	if (typeof body !== 'object' || body === null || Buffer.isBuffer(body)) return {};
	const { error, code, errorCode } = body as Record<string, unknown>;
	const anyCode = code ?? errorCode;
	return {
		error: typeof error === 'string' ? redactPipedriveMessage(error) : undefined,
		code: anyCode === undefined || anyCode === null ? undefined : String(anyCode),
	};
}

const ADVICE: Record<number, string> = {
	400: 'Pipedrive refused the request as invalid; check the mapping of the named field',
	401: 'The API token was refused; check the token in the Pipedrive Migration API credential',
	402: 'The Pipedrive plan does not include this feature or its limit is reached',
	403: 'The Pipedrive user of the token lacks the permission; use an admin user',
	404: 'The record does not exist in Pipedrive (deleted or never created)',
	410: 'The record was deleted in Pipedrive',
	429: 'Pipedrive rate limit reached; wait for the budget to reset or lower the batch size',
};

/**
 * A Pipedrive error response as the n8n error users see: the HTTP status and Pipedrive's own
 * error text and code (redacted), plus what to do. Built from the response body only, so
 * neither request headers (the token) nor the request body (patient values) can leak into it.
 */
export function pipedriveApiError(
	node: INode,
	response: HttpResponse,
	itemIndex?: number,
	action?: string,
	/** What to do, when the caller knows better than the status alone (a wrong base URL). */
	advice?: string,
): NodeApiError {
	const { error, code } = describe(response.body);
	const what = action ? `${action}: ` : '';
	const detail = [error, code ? `code ${code}` : undefined].filter(Boolean).join(', ');
	const message = `${what}Pipedrive answered HTTP ${response.status}${detail ? ` (${detail})` : ''}`;
	const description =
		advice ??
		ADVICE[response.status] ??
		(response.status >= 500
			? 'Pipedrive had a server problem; run the step again later'
			: undefined);
	return new NodeApiError(
		node,
		{ httpCode: String(response.status), message, ...(code ? { code } : {}) } as JsonObject,
		{ message, description, httpCode: String(response.status), itemIndex },
	);
}
