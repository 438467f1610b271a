import type { IExecuteFunctions, INodeProperties, INodeType } from 'n8n-workflow';

import { DentAdminReader } from '../../nodes/DentAdminReader/DentAdminReader.node';
import { DentalExecReader } from '../../nodes/DentalExecReader/DentalExecReader.node';
import { MigrationLedger } from '../../nodes/MigrationLedger/MigrationLedger.node';
import { router as ledgerRouter } from '../../nodes/MigrationLedger/actions/router';
import { MigrationMapper } from '../../nodes/MigrationMapper/MigrationMapper.node';
import { router as mapperRouter } from '../../nodes/MigrationMapper/actions/router';
import { PipedriveProvisioner } from '../../nodes/PipedriveProvisioner/PipedriveProvisioner.node';
import { router as provisionerRouter } from '../../nodes/PipedriveProvisioner/actions/router';
import { pipedriveCredentials } from '../../nodes/shared/pipedriveAuthentication';

/** A context that asks for an operation no node has. */
const unknownOperation = {
	getNodeParameter: () => 'noSuchOperation',
	getNode: () => ({ name: 'node', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} }),
} as unknown as IExecuteFunctions;

async function refusal(router: (this: IExecuteFunctions) => Promise<unknown>) {
	try {
		await router.call(unknownOperation);
	} catch (error) {
		const { message, description } = error as Error & { description?: string };
		return { name: (error as Error).constructor.name, message, description };
	}
	throw new Error('the router accepted an unknown operation');
}

function operationValues(node: INodeType): string[] {
	return node.description.properties
		.filter((p: INodeProperties) => p.name === 'operation')
		.flatMap((p) => (p.options ?? []).map((o) => String((o as { value: string }).value)));
}

describe('operations index', () => {
	it('each router refuses an unknown operation naming the ones that exist', async () => {
		// The lists are the operations each node offers, as the earlier hand-kept texts read.
		expect(await refusal(mapperRouter)).toEqual({
			name: 'NodeOperationError',
			message: 'The operation "noSuchOperation" is not supported',
			description:
				'Choose one of Propose Mapping, Confirm Mapping, Validate Spec, Transform or Select Sample',
		});
		expect((await refusal(provisionerRouter)).description).toBe(
			'Choose one of Provision Schema, Match Users, Preflight or Get Field Registry',
		);
		expect((await refusal(ledgerRouter)).description).toBe(
			'Choose one of Commit, Rollback, Diff Report, Reconcile, Audit Log, Status, Get Watermark or Advance Watermark',
		);
	});

	it('the action lists offer every operation, sorted by name within each list', () => {
		expect(operationValues(new MigrationMapper())).toEqual([
			'confirmMapping',
			'proposeMapping',
			'selectSample',
			'transform',
			'validateSpec',
		]);
		expect(operationValues(new PipedriveProvisioner())).toEqual([
			'getFieldRegistry',
			'matchUsers',
			'preflight',
			'provisionSchema',
		]);
		expect(operationValues(new MigrationLedger())).toEqual([
			'commit',
			'rollback',
			'auditLog',
			'diffReport',
			'reconcile',
			'status',
			'advanceWatermark',
			'getWatermark',
		]);
	});

	it('both Pipedrive-facing nodes offer the same authentication and credentials', () => {
		// Credential type per Authentication choice, as credentials/ names them.
		const expected = [
			['pipedriveMigrationApi', 'apiToken'],
			['pipedriveMigrationOAuth2Api', 'oauth2'],
		].map(([name, auth]) => ({
			name,
			required: true,
			displayOptions: { show: { authentication: [auth] } },
		}));
		const ledger = new MigrationLedger().description;
		const provisioner = new PipedriveProvisioner().description;
		expect(provisioner.credentials).toEqual(expected);
		expect(pipedriveCredentials).toEqual(expected);
		expect(ledger.credentials).toEqual([
			...expected,
			{
				name: 'migrationJournalPostgres',
				required: true,
				testedBy: 'migrationJournalPostgresConnection',
				displayOptions: { show: { journal: ['postgres'] } },
			},
		]);
		for (const description of [ledger, provisioner])
			expect(description.properties[0]).toEqual({
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'API Token', value: 'apiToken' },
					{ name: 'OAuth2', value: 'oauth2' },
				],
				default: 'apiToken',
			});
	});

	it('names every API credential with the "Api" suffix (the lint rule off for the Ledger)', () => {
		const nodes = [
			new DentalExecReader(),
			new DentAdminReader(),
			new MigrationMapper(),
			new PipedriveProvisioner(),
			new MigrationLedger(),
		];
		const names = nodes.flatMap((node) => (node.description.credentials ?? []).map((c) => c.name));
		expect(names.sort()).toEqual([
			'dentAdminApi',
			'migrationJournalPostgres',
			'pipedriveMigrationApi',
			'pipedriveMigrationApi',
			'pipedriveMigrationOAuth2Api',
			'pipedriveMigrationOAuth2Api',
		]);
		// The journal's is a database credential, not an API (n8n's own Postgres credential is unsuffixed too).
		expect(names.filter((name) => !name.endsWith('Api'))).toEqual(['migrationJournalPostgres']);
	});
});
