import type { INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { PipedriveApiError } from '../../lib/pipedrive/errors';
import { toPipedriveNodeError } from '../../nodes/shared/pipedriveContext';
import { pipedriveApiError, redactPipedriveMessage } from '../../nodes/shared/pipedriveErrors';

const node: INode = {
	id: 'n1',
	name: 'Commit',
	type: 'n8n-nodes-dental-pipedrive.migrationLedger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const HASH = 'dcf558aac1ae4e8c4f849ba5e668430d8df9be12';

describe('redactPipedriveMessage', () => {
	it('masks quoted values, e-mail addresses and long digit runs but keeps field keys', () => {
		expect(
			redactPipedriveMessage(
				`Validation failed: Parameter '${HASH}' is not allowed; email: "an.peeters@example.be" invalid; phone +32 470 12 34 56 too long; name 'Peeters'`,
			),
		).toBe(
			`Validation failed: Parameter '${HASH}' is not allowed; email: "…" invalid; phone … too long; name '…'`,
		);
		expect(redactPipedriveMessage('contact an.peeters@example.be now')).toBe('contact …@… now');
	});
});

describe('pipedriveApiError', () => {
	it('names the HTTP status, Pipedrive’s error and code, and what to do', () => {
		const error = pipedriveApiError(
			node,
			{
				status: 400,
				headers: {},
				body: {
					success: false,
					error: `Validation failed: Parameter '${HASH}' is not allowed for this request`,
					code: 'ERR_SCHEMA_VALIDATION_FAILED',
				},
			},
			4,
			'Creating person',
		);

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			`Creating person: Pipedrive answered HTTP 400 (Validation failed: Parameter '${HASH}' is not allowed for this request, code ERR_SCHEMA_VALIDATION_FAILED)`,
		);
		expect(error.description).toBe(
			'Pipedrive refused the request as invalid; check the mapping of the named field',
		);
		expect(error.httpCode).toBe('400');
		expect(error.context.itemIndex).toBe(4);
	});

	it('reads v1 errorCode and advises on a refused token', () => {
		const error = pipedriveApiError(node, {
			status: 401,
			headers: {},
			body: { success: false, error: 'unauthorized access', errorCode: 401 },
		});

		expect(error.message).toBe('Pipedrive answered HTTP 401 (unauthorized access, code 401)');
		expect(error.description).toBe(
			'The API token was refused; check the token in the Pipedrive Migration API credential',
		);
	});

	it('copes with a body that is not Pipedrive JSON', () => {
		const error = pipedriveApiError(node, {
			status: 502,
			headers: {},
			body: '<html>Bad gateway</html>',
		});

		expect(error.message).toBe('Pipedrive answered HTTP 502');
		expect(error.description).toBe('Pipedrive had a server problem; run the step again later');
	});

	it('names the base URL for a 404 on an endpoint that always exists, the record for one with an id', () => {
		const notFound = (endpoint: string) =>
			toPipedriveNodeError(
				node,
				new PipedriveApiError({ status: 404, pipedriveError: 'Path not found', endpoint }),
				0,
				'Provision schema',
			);
		const collection = notFound('GET /api/v2/personFields');
		expect(collection.message).toBe(
			'Provision schema: Pipedrive answered HTTP 404 (Path not found)',
		);
		expect(collection.description).toBe(
			'Pipedrive has no GET /api/v2/personFields at this base URL: check the Base URL of the credential',
		);
		expect(notFound('PATCH /api/v2/persons/{id}').description).toBe(
			'The record does not exist in Pipedrive (deleted or never created)',
		);
	});
});
