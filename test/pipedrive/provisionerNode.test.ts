import type { INode } from 'n8n-workflow';

import { startSandbox, type RunningSandbox } from '../../sandbox';
import { runWorkflow } from '../../runner/engine';
import { defaultSpec } from '../../lib/mapping/defaults';
import { PipedriveApiError, PipedriveClient } from '../../lib/pipedrive/client';
import { requiredFields } from '../../lib/pipedrive/fieldRegistry';
import { FetchTransport } from '../../lib/transport/fetchTransport';
import { toPipedriveNodeError } from '../../nodes/shared/pipedriveContext';

const NODE_TYPE = 'n8n-nodes-dental-pipedrive.pipedriveProvisioner';
const CREDENTIALS = { pipedriveMigrationApi: { id: 'provisionerTestCred', name: 'Sandbox' } };

const providers = [
	{
		kind: 'provider',
		sourceSystem: 'dentadmin',
		sourceId: '1',
		sourceKey: 'dentadmin:provider:1',
		lastName: 'Peeters',
		email: 'AN.PEETERS@smile.be',
		active: true,
		extra: {},
	},
	{
		kind: 'provider',
		sourceSystem: 'dentadmin',
		sourceId: '2',
		sourceKey: 'dentadmin:provider:2',
		lastName: 'Maes',
		email: 'maes@elsewhere.be',
		active: true,
		extra: {},
	},
];
const readerItems = [
	{ kind: 'practice' },
	...providers,
	{
		kind: 'patientBundle',
		appointments: [{}, {}],
		treatmentPlans: [{}],
		notes: [{}],
		tasks: [],
		labCases: [],
		documents: [],
	},
];
const validationReport = {
	source: 'dentadmin',
	exportPath: '/exports/x',
	totals: {
		files: 3,
		rowsRead: 10,
		rowsAccepted: 9,
		rowsQuarantined: 1,
		patients: 1,
		possibleDuplicates: 0,
	},
	files: [],
	issues: [],
	possibleDuplicates: [],
};

function provisionerNode(name: string, x: number, parameters: Record<string, unknown>) {
	return {
		id: `node-${x}`,
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [x, 0],
		parameters,
		credentials: CREDENTIALS,
	};
}

/** Start → Provision Schema → Match Users → Preflight → Get Field Registry, all from the DentAdmin default spec. */
function provisionerWorkflow() {
	const spec = { schemaSource: 'defaultSpec', sourceSystem: 'dentadmin' };
	const nodes = [
		{
			id: 'start',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		provisionerNode('Provision Schema', 200, { operation: 'provisionSchema', ...spec }),
		provisionerNode('Match Users', 400, {
			operation: 'matchUsers',
			readerItems: JSON.stringify(readerItems),
			fallbackOwnerEmail: '',
		}),
		provisionerNode('Preflight', 600, {
			operation: 'preflight',
			...spec,
			readerItems: JSON.stringify(readerItems),
			validationReport: JSON.stringify(validationReport),
			leads: 0,
		}),
		provisionerNode('Get Field Registry', 800, { operation: 'getFieldRegistry', ...spec }),
	];
	const chain = nodes.map((n) => n.name);
	const connections = Object.fromEntries(
		chain
			.slice(0, -1)
			.map((name, i) => [name, { main: [[{ node: chain[i + 1], type: 'main', index: 0 }]] }]),
	);
	return {
		id: 'provisionerTest',
		name: 'Provisioner test',
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
	};
}

describe('Pipedrive Provisioner node (n8n engine, sandbox)', () => {
	let sandbox: RunningSandbox;
	beforeEach(async () => {
		sandbox = await startSandbox({
			plan: 'growth',
			seats: 2,
			seed: 31,
			users: [{ name: 'An Peeters', email: 'an.peeters@smile.be' }],
		});
	});
	afterEach(async () => sandbox.close());

	const credentials = () => ({
		pipedriveMigrationApi: {
			baseUrl: sandbox.baseUrl,
			apiToken: sandbox.apiToken,
			plan: 'growth',
			seats: 2,
		},
	});

	it('provisions, matches users, estimates and outputs the registry; a second run changes nothing', async () => {
		const requirements = defaultSpec('dentadmin', '2026-11-21').schema;
		const first = await runWorkflow(provisionerWorkflow(), { credentials: credentials() });
		expect(first.error).toBeUndefined();
		const [provisioned] = first.output('Provision Schema');
		const fieldCount = requiredFields(requirements).length;
		expect(provisioned).toMatchObject({ status: 'changed', optionsAdded: 0, awaitingOptions: 0 });
		expect(
			(provisioned.actions as Array<{ object: string; action: string }>).filter(
				(a) => ['person', 'organization', 'deal'].includes(a.object) && a.action === 'created',
			),
		).toHaveLength(fieldCount);
		expect(first.items('Provision Schema')[0].pairedItem).toEqual([{ item: 0 }]);

		const [users] = first.output('Match Users');
		const peeters = sandbox.admin.snapshot().users.find((u) => u.email === 'an.peeters@smile.be');
		const me = await new PipedriveClient(
			new FetchTransport({ baseUrl: sandbox.baseUrl, apiToken: sandbox.apiToken }),
		).me();
		expect(users.ownerMap).toEqual({
			owners: { 'dentadmin:provider:1': peeters?.id, 'dentadmin:provider:2': me.userId },
			fallbackUserId: me.userId,
		});
		expect(users.unmatched).toEqual([
			{ providerKey: 'dentadmin:provider:2', name: 'Maes', reason: 'no-user', ownerId: me.userId },
		]);
		expect(users.providers).toBe(2);

		const [preflight] = first.output('Preflight');
		// After provisioning nothing is missing: the provisioning cost is the reads alone (94 tokens).
		expect(preflight).toMatchObject({
			plan: 'growth',
			seats: 2,
			writes: { organization: 1, person: 1, lead: 0, deal: 1, activity: 2, note: 1, file: 0 },
			totalWrites: 6,
			tokens: { provisioning: 94, lookups: 0, total: 94 + 5 + 5 + 5 + 10 + 10 },
			dailyBudget: 120_000,
			days: 1,
			customFields: { needed: 0, existing: fieldCount, cap: 100, fits: true },
			rowsQuarantined: 1,
		});

		const [registry] = first.output('Get Field Registry');
		expect({ ...registry, fieldList: undefined }).toEqual({
			...(provisioned.registry as object),
			fieldList: undefined,
		});
		expect(registry.fieldList).toHaveLength(fieldCount);

		const second = await runWorkflow(provisionerWorkflow(), { credentials: credentials() });
		const [again] = second.output('Provision Schema');
		expect(again).toMatchObject({ status: 'unchanged', created: 0, optionsAdded: 0 });
		expect(again.registry).toEqual(provisioned.registry);
	});

	it('works with the OAuth2 credential (Bearer token) as with the API token', async () => {
		const workflow = provisionerWorkflow();
		const provision = workflow.nodes[1] as Record<string, unknown>;
		provision.parameters = { ...(provision.parameters as object), authentication: 'oauth2' };
		provision.credentials = {
			pipedriveMigrationOAuth2Api: { id: 'provisionerOAuthCred', name: 'Sandbox OAuth' },
		};
		workflow.nodes = workflow.nodes.slice(0, 2);
		workflow.connections = { Start: workflow.connections.Start };
		const result = await runWorkflow(workflow, {
			credentials: {
				pipedriveMigrationOAuth2Api: {
					baseUrl: sandbox.baseUrl,
					plan: 'growth',
					seats: 2,
					clientId: 'client',
					clientSecret: 'secret',
					oauthTokenData: { access_token: sandbox.oauthToken, token_type: 'Bearer' },
				},
			},
		});
		expect(result.error).toBeUndefined();
		expect(result.output('Provision Schema')[0]).toMatchObject({
			status: 'changed',
			optionsAdded: 0,
		});
		const fields = sandbox.admin.snapshot().fields as Record<
			string,
			Array<Record<string, unknown>>
		>;
		expect(fields.person.filter((f) => f.field_name === 'Migration source key')).toHaveLength(1);
	});

	it("fails with Pipedrive's status and message, and the token appears nowhere", async () => {
		const token = 'wrong-token-7d1e9b55c0';
		const result = await runWorkflow(provisionerWorkflow(), {
			credentials: {
				pipedriveMigrationApi: {
					baseUrl: sandbox.baseUrl,
					apiToken: token,
					plan: 'growth',
					seats: 2,
				},
			},
		});
		expect(result.status).toBe('error');
		expect(result.error).toEqual({
			node: 'Provision Schema',
			message: 'Provision schema: Pipedrive answered HTTP 401 (unauthorized access, code 401)',
		});

		// With "Continue On Fail" the error becomes an item paired with the input, still without the token.
		const lenient = provisionerWorkflow();
		lenient.nodes = lenient.nodes
			.slice(0, 2)
			.map((n) => (n.name === 'Provision Schema' ? { ...n, continueOnFail: true } : n));
		lenient.connections = { Start: lenient.connections.Start };
		const continued = await runWorkflow(lenient, {
			credentials: {
				pipedriveMigrationApi: {
					baseUrl: sandbox.baseUrl,
					apiToken: token,
					plan: 'growth',
					seats: 2,
				},
			},
		});
		expect(continued.status).toBe('success');
		expect(continued.items('Provision Schema')).toEqual([
			{
				json: {
					error: 'Provision schema: Pipedrive answered HTTP 401 (unauthorized access, code 401)',
				},
				pairedItem: [{ item: 0 }],
			},
		]);

		const client = new PipedriveClient(
			new FetchTransport({ baseUrl: sandbox.baseUrl, apiToken: token }),
		);
		const apiError = await client.me().catch((e: unknown) => e);
		expect(apiError).toBeInstanceOf(PipedriveApiError);
		const node = {
			name: 'Provision Schema',
			type: NODE_TYPE,
			typeVersion: 1,
			parameters: {},
		} as unknown as INode;
		const nodeError = toPipedriveNodeError(node, apiError, 0, 'Provision schema');
		expect(nodeError.message).toBe(
			'Provision schema: Pipedrive answered HTTP 401 (unauthorized access, code 401)',
		);
		expect(nodeError.description).toBe(
			'The API token was refused; check the token in the Pipedrive Migration API credential',
		);
		expect(JSON.stringify(nodeError)).not.toContain(token);
		expect(String(nodeError.description)).not.toContain(token);
	});
});
