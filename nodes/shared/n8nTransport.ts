import type {
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { HttpRequest, HttpResponse, HttpTransport } from '../../lib/transport/transport';
import { TransportError } from '../../lib/transport/transport';
import {
	DEFAULT_TIMEOUT_MS,
	decodeResponseBody,
	multipartBody,
	networkErrorCode,
	normaliseHeaders,
	queryParams,
} from '../../lib/transport/wire';

type RequestContext = IExecuteFunctions | ILoadOptionsFunctions;

/**
 * The engine's HttpTransport inside n8n: every call goes through
 * `this.helpers.httpRequestWithAuthentication`, so the credential type's `authenticate` adds the
 * token and n8n's proxy, SSRF protection and logging apply. HTTP error statuses resolve (the
 * engine reads Pipedrive's error body and decides); only a missing response rejects.
 */
export class N8nTransport implements HttpTransport {
	constructor(
		private readonly context: RequestContext,
		private readonly credentialType: string,
		private readonly baseUrl: string,
	) {}

	async request(req: HttpRequest): Promise<HttpResponse> {
		const options: IHttpRequestOptions = {
			method: req.method,
			url: this.baseUrl.replace(/\/+$/, '') + req.path,
			qs: queryParams(req.query),
			json: true,
			// Bytes in, decoded by content type: the same rule FetchTransport applies, and the only
			// way a file download arrives intact.
			encoding: 'arraybuffer',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: DEFAULT_TIMEOUT_MS,
		};
		if (req.multipart) {
			options.body = multipartBody(req.multipart);
		} else if (req.body !== undefined) {
			options.body = req.body as IHttpRequestOptions['body'];
		}
		let response: IN8nHttpFullResponse;
		try {
			response = (await this.context.helpers.httpRequestWithAuthentication.call(
				this.context,
				this.credentialType,
				options,
			)) as IN8nHttpFullResponse;
		} catch (error) {
			// This adapter speaks the engine's contract: the engine retries on TransportError, and
			// executeItems turns whatever reaches the node into NodeApiError/NodeOperationError.
			const code = networkErrorCode(error);
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- already n8n's own error (credentials, setup)
			if (code === undefined) throw error;
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- engine contract, converted by executeItems
			throw new TransportError(`${req.method} ${req.path} got no response (${code})`, code);
		}
		const headers = normaliseHeaders(response.headers);
		const bytes = Buffer.isBuffer(response.body)
			? response.body
			: Buffer.from(response.body as unknown as ArrayBuffer);
		return {
			status: response.statusCode,
			headers,
			body: decodeResponseBody(headers['content-type'], bytes),
		};
	}
}

/**
 * The transport for a node's credential: its base URL comes from the credential (a company
 * domain, api.pipedrive.com or the sandbox); the token never leaves n8n's credential handling.
 */
export async function n8nTransport(
	context: RequestContext,
	credentialType: string,
): Promise<N8nTransport> {
	const credentials = await context.getCredentials<{ baseUrl?: string }>(credentialType);
	if (typeof credentials.baseUrl !== 'string' || credentials.baseUrl === '') {
		throw new NodeOperationError(
			context.getNode(),
			`The ${credentialType} credential has no Base URL`,
			{ description: 'Set the Base URL in the credential and run again' },
		);
	}
	return new N8nTransport(context, credentialType, credentials.baseUrl);
}
