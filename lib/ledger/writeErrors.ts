import { BudgetExhaustedError, PipedriveApiError } from '../pipedrive/errors';
import { TransportError } from '../transport/transport';

/**
 * How the Ledger reads a failed write: budget spent (stop the run), uncertain (the server may
 * have applied it: look it up before trying again), or refused (journal as failed).
 */
export type WriteFailure =
	| { kind: 'budget'; resetAt: string }
	| { kind: 'uncertain'; code: string }
	| { kind: 'refused'; code: string; reason: string };

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

export function classifyWriteError(error: unknown): WriteFailure {
	if (error instanceof RecordRefusedError)
		return { kind: 'refused', code: error.code, reason: error.message };
	if (error instanceof BudgetExhaustedError) return { kind: 'budget', resetAt: error.resetAt };
	if (error instanceof TransportError)
		return { kind: 'uncertain', code: `connection-${error.code}` };
	if (error instanceof PipedriveApiError) {
		const code = `http-${error.status}${error.code ? `-${error.code}` : ''}`;
		if (error.retryable) return { kind: 'uncertain', code };
		// Pipedrive's own text can echo submitted values (patient data): keep only status, code and endpoint.
		const reason = `Pipedrive answered ${error.status} to ${error.endpoint}${error.code ? ` (${error.code})` : ''}; check the mapping of this record's fields`;
		return { kind: 'refused', code, reason };
	}
	throw error;
}
