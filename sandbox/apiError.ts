/**
 * Pipedrive's error bodies. Messages name the field and the problem, never the value sent, so
 * patient data cannot leak into a client's logs through an error.
 */
export const ERROR_INFO = 'Please check developers.pipedrive.com';

export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly body: Record<string, unknown>,
	) {
		super(String(body.error));
		this.name = 'ApiError';
	}
}

function generic(status: number, error: string, extra: Record<string, unknown> = {}): ApiError {
	return new ApiError(status, {
		success: false,
		error,
		error_info: ERROR_INFO,
		data: null,
		additional_data: null,
		...extra,
	});
}

/** v2's strict schema validation (observed shape, api-facts §2.3). */
export function validationFailed(problems: string[]): ApiError {
	return generic(400, `Validation failed: ${problems.join('; ')}`, {
		code: 'ERR_SCHEMA_VALIDATION_FAILED',
	});
}

export function badRequest(error: string, errorInfo?: string): ApiError {
	return generic(400, error, errorInfo ? { error_info: errorInfo } : {});
}

export function notFound(what: string): ApiError {
	return generic(404, `${what} not found`);
}

export function forbidden(error: string, code: string): ApiError {
	return generic(403, error, { code });
}

/** v1 entity endpoints left support on 2026-08-01 (api-facts §1); the migration must never use them. */
export function gone(path: string): ApiError {
	return generic(
		410,
		`${path} is an API v1 endpoint that is out of support since 2026-08-01; use the API v2 endpoint under /api/v2`,
	);
}

export function payloadTooLarge(error: string): ApiError {
	return generic(413, error);
}

export const UNAUTHORIZED_BODY = { success: false, error: 'unauthorized access', errorCode: 401 };
export const RATE_LIMITED_BODY = { success: false, error: 'Rate limit exceeded', errorCode: 429 };
