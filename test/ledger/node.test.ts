import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ICredentialTestFunctions, ICredentialsDecrypted } from 'n8n-workflow';
import { Client } from 'pg';

import { runWorkflow } from '../../runner/engine';
import { startSandbox, type RunningSandbox } from '../../sandbox';
import { migrationJournalPostgresConnection } from '../../nodes/MigrationLedger/methods/credentialTest';
import { PipedriveClient } from '../../lib/pipedrive/client';
import { provisionSchema } from '../../lib/pipedrive/provision';
import { FetchTransport } from '../../lib/transport/fetchTransport';
import { customFieldsOf } from '../pipedrive/helpers/sandboxFields';
import { postgresServer } from './helpers/journals';
import { FIXTURE_REQUIREMENTS } from './helpers/sandboxAccount';

const LEDGER = 'n8n-nodes-dental-pipedrive.migrationLedger';
const CREDENTIALS = { pipedriveMigrationApi: { id: 'ledgerTestCred', name: 'Sandbox' } };

function ledgerNode(
	name: string,
	x: number,
	parameters: Record<string, unknown>,
	extra: Record<string, unknown> = {},
) {
	return {
		id: `node-${x}`,
		name,
		type: LEDGER,
		typeVersion: 1,
		position: [x, 0],
		parameters: { authentication: 'apiToken', journal: 'embedded', ...parameters },
		credentials: CREDENTIALS,
		...extra,
	};
}

function chain(nodes: Array<{ name: string }>) {
	const names = nodes.map((node) => node.name);
	return Object.fromEntries(
		names
			.slice(0, -1)
			.map((name, i) => [name, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]),
	);
}

describe('Migration Ledger node (n8n engine, sandbox)', () => {
	let sandbox: RunningSandbox;
	let journalDir: string;
	beforeEach(async () => {
		sandbox = await startSandbox({ seed: 41 });
		journalDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-node-')), 'journal');
	});
	afterEach(() => sandbox.close());

	const credentials = () => ({
		pipedriveMigrationApi: {
			baseUrl: sandbox.baseUrl,
			apiToken: sandbox.apiToken,
			plan: 'growth',
			seats: 3,
		},
	});

	it('reads, advances and re-reads a watermark in the journal; a move backwards is refused item by item', async () => {
		const name = 'dentadmin:patient';
		const nodes = [
			{
				id: 'start',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			ledgerNode('Get Watermark', 200, {
				operation: 'getWatermark',
				journalDir,
				watermarkName: name,
				initialWatermark: '2020-01-01T00:00:00Z',
			}),
			ledgerNode('Advance Watermark', 400, {
				operation: 'advanceWatermark',
				journalDir,
				watermarkName: name,
				watermarkValue: '2026-11-20T08:00:00Z',
				runId: '',
				force: false,
			}),
			ledgerNode(
				'Move Back',
				600,
				{
					operation: 'advanceWatermark',
					journalDir,
					watermarkName: name,
					watermarkValue: '2026-01-01T00:00:00Z',
					runId: '',
					force: false,
				},
				{ continueOnFail: true },
			),
			ledgerNode('Get Again', 800, {
				operation: 'getWatermark',
				journalDir,
				watermarkName: name,
				initialWatermark: '2020-01-01T00:00:00Z',
			}),
		];
		const result = await runWorkflow(
			{
				id: 'ledgerNodeTest',
				name: 'Ledger node test',
				nodes,
				connections: chain(nodes),
				settings: { executionOrder: 'v1' },
			} as never,
			{ credentials: credentials() },
		);
		expect(result.error).toBeUndefined();
		expect(result.output('Get Watermark')).toEqual([
			{
				name,
				value: '2020-01-01T00:00:00Z',
				stored: false,
				checkedAt: expect.stringMatching(/Z$/),
			},
		]);
		expect(result.output('Advance Watermark')).toEqual([
			{ name, previous: null, value: '2026-11-20T08:00:00Z' },
		]);
		expect(result.output('Move Back')).toEqual([
			{
				error:
					'Watermark dentadmin:patient is at 2026-11-20T08:00:00Z; moving it back to 2026-01-01T00:00:00Z would re-read records. Advance with force if that is intended.',
			},
		]);
		expect(result.items('Move Back')[0].pairedItem).toEqual({ item: 0 });
		expect(result.output('Get Again')).toEqual([
			{ name, value: '2026-11-20T08:00:00Z', stored: true, checkedAt: expect.stringMatching(/Z$/) },
		]);
		// The journal is scoped to the sandbox company and kept owner-only.
		expect(fs.statSync(journalDir).mode & 0o777).toBe(0o700);
		expect(fs.readFileSync(path.join(journalDir, 'migration-journal.jsonl'), 'utf8')).toContain(
			`"c":${sandbox.companyId}`,
		);
		expect(fs.readFileSync(path.join(journalDir, 'migration-journal.jsonl'), 'utf8')).not.toContain(
			sandbox.apiToken,
		);
	});

	it('refuses a Commit whose input is not a plan, naming the item', async () => {
		const nodes = [
			{
				id: 'start',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			ledgerNode('Commit', 200, {
				operation: 'commit',
				journalDir,
				registry: '{}',
				confirmedSpecHash: 'x',
				runKind: 'sample',
				runId: '',
			}),
		];
		const result = await runWorkflow(
			{
				id: 'ledgerCommitTest',
				name: 'Ledger commit test',
				nodes,
				connections: chain(nodes),
				settings: { executionOrder: 'v1' },
			} as never,
			{ credentials: credentials() },
		);
		expect(result.error).toEqual({ node: 'Commit', message: 'Input item 0 is not a plan' });
	});

	it('removes the custom fields a Provisioning Result lists as created when asked, and refuses a result without actions', async () => {
		const client = new PipedriveClient(
			new FetchTransport({ baseUrl: sandbox.baseUrl, apiToken: sandbox.apiToken }),
		);
		await client.createField('deal', { name: 'Procedure codes', fieldType: 'text' });
		const provisioned = await provisionSchema(client, FIXTURE_REQUIREMENTS, { plan: 'growth' });
		const start = {
			id: 'start',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		};
		const rollbackNode = (name: string, x: number, provisioningResult: string) =>
			ledgerNode(
				name,
				x,
				{
					operation: 'rollback',
					journalDir,
					rollbackScope: 'migration',
					rollbackRunId: '',
					removeCustomFields: true,
					provisioningResult,
				},
				{ continueOnFail: true },
			);
		const nodes = [
			start,
			rollbackNode('Refused', 200, '{"registry": {}}'),
			rollbackNode('Rollback', 400, JSON.stringify(provisioned)),
		];
		const result = await runWorkflow(
			{
				id: 'ledgerRollbackFieldsTest',
				name: 'Ledger rollback fields test',
				nodes,
				connections: chain(nodes),
				settings: { executionOrder: 'v1' },
			} as never,
			{ credentials: credentials() },
		);
		expect(result.error).toBeUndefined();
		expect(result.output('Refused')).toEqual([
			{ error: 'Provisioning Result has no actions list' },
		]);
		expect(result.output('Rollback')).toMatchObject([
			{
				status: 'completed',
				message: null,
				deleted: 0,
				fieldsRemoved: 5,
				fieldsFailed: [],
				verification: { checked: 0, passed: true, problems: [], differences: [] },
			},
		]);
		// Created: Date of birth, Referral source and the three source-key fields; Procedure codes was reused.
		expect(customFieldsOf(sandbox)).toEqual({ 'deal/Procedure codes': 'text' });
	});
});

describe('Migration Journal (PostgreSQL) credential test', () => {
	afterAll(async () => {
		const client = new Client({ ...postgresServer, database: 'postgres' });
		await client.connect();
		await client.query('drop schema if exists migration_journal_credtest cascade');
		await client.end();
	});

	const test = (data: Record<string, unknown>) =>
		migrationJournalPostgresConnection.call(
			{} as ICredentialTestFunctions,
			{
				id: 'c',
				name: 'Journal',
				type: 'migrationJournalPostgres',
				data,
			} as ICredentialsDecrypted,
		);

	it('connects and prepares the journal schema', async () => {
		await expect(
			test({
				...postgresServer,
				database: 'postgres',
				password: '',
				ssl: 'disable',
				schema: 'migration_journal_credtest',
			}),
		).resolves.toEqual({
			status: 'OK',
			message: 'Connected; the journal schema is ready',
		});
	});

	it('reports a schema name it would not use', async () => {
		await expect(
			test({ ...postgresServer, database: 'postgres', ssl: 'disable', schema: 'Bad Name' }),
		).resolves.toEqual({
			status: 'Error',
			message:
				"The journal schema name 'Bad Name' is not allowed: use lower-case letters, digits and underscores, starting with a letter.",
		});
	});
});
