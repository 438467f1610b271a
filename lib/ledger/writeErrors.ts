import {
	BudgetExhaustedError,
	isTransientFailure,
	isWrongBaseUrl,
	PipedriveApiError,
} from '../pipedrive/errors';
import { noServerAtBaseUrl, TransportError } from '../transport/transport';

/**
 * How the Ledger reads a failed write: budget spent (stop the run), uncertain (the server may
 * have applied it: look it up before trying again), or refused (journal as failed).
 */
export type WriteFailure =
	| { kind: 'budget'; resetAt: string }
	/** Every write would get the same answer (the token or the base URL is wrong, no server): stop the run. */
	| { kind: 'account'; code: string; reason: string }
	| { kind: 'uncertain'; code: string }
	| { kind: 'refused'; code: string; reason: string };

/**
 * A look-up of a write that may have landed could not be made: the write's intent must stay
 * open (settling it as "not written" would write it twice on the next run).
 */
export class LookupFailedError extends Error {
	constructor(readonly cause: unknown) {
		super('The look-up of an earlier write failed');
		this.name = 'LookupFailedError';
	}
}

/** A record the Ledger cannot write as planned (unreadable document, no parent link). */
export class RecordRefusedError extends Error {
	constructor(
		readonly code: string,
		message: string,
	) {
		super(message);
		this.name = 'RecordRefusedError';
	}
}

/**
 * In words, not codes: n8n replaces any error message that holds a network code such as
 * ECONNREFUSED with its own generic text, which would drop the resume instructions.
 */
const NO_SERVER: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ENOTFOUND: 'unknown host',
	EAI_AGAIN: 'the host name could not be resolved',
	ERR_INVALID_URL: 'not a valid URL',
};

/**
 * The daily budget refused the write before any attempt of it was sent, so it cannot have
 * landed: its intent may be settled as not sent (a write in flight when the budget ran out may
 * have landed, and keeps its intent for the resume's look-up).
 */
export function refusedBeforeSending(error: unknown): boolean {
	return error instanceof BudgetExhaustedError && !error.sent;
}

export function classifyWriteError(error: unknown): WriteFailure {
	if (error instanceof RecordRefusedError)
		return { kind: 'refused', code: error.code, reason: error.message };
	if (error instanceof BudgetExhaustedError) return { kind: 'budget', resetAt: error.resetAt };
	if (error instanceof LookupFailedError) {
		const cause = classifyWriteError(error.cause);
		// Refused look-ups are named as such; budget, account and connection answers keep theirs.
		return cause.kind === 'refused' ? { kind: 'uncertain', code: `lookup-${cause.code}` } : cause;
	}
	// Refused before it reached a server, and every write after it would be too (wrong base URL,
	// server stopped): stop the run; a write in doubt keeps its open intent for the resume.
	if (noServerAtBaseUrl(error))
		return {
			kind: 'account',
			code: `connection-${error.code}`,
			reason: `No Pipedrive server answers at the credential's base URL (${NO_SERVER[error.code] ?? 'no connection'}): check the base URL and that the server is running`,
		};
	// The server may have applied it (setup retries the same failures): look it up before writing again.
	if (isTransientFailure(error))
		return {
			kind: 'uncertain',
			code: error instanceof TransportError ? `connection-${error.code}` : httpCode(error),
		};
	if (error instanceof PipedriveApiError) {
		const code = httpCode(error);
		if (error.status === 401)
			return {
				kind: 'account',
				code,
				reason:
					'Pipedrive refused the API token (401): check the Pipedrive credential (token and base URL)',
			};
		if (isWrongBaseUrl(error))
			return {
				kind: 'account',
				code,
				reason: `Pipedrive has no ${error.endpoint} at this base URL (404): check the credential's base URL`,
			};
		// Pipedrive's own text can echo submitted values (patient data): keep only status, code and endpoint.
		const reason = `Pipedrive answered ${error.status} to ${error.endpoint}${error.code ? ` (${error.code})` : ''}; check the mapping of this record's fields`;
		return { kind: 'refused', code, reason };
	}
	throw error;
}

const httpCode = (error: PipedriveApiError) =>
	`http-${error.status}${error.code ? `-${error.code}` : ''}`;
