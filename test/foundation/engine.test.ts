import { join } from 'node:path';

import { runWorkflow } from '../../runner/engine';
import { startLoopbackServer, type LoopbackServer } from '../helpers/loopbackServer';

const smokeWorkflow = join(__dirname, '..', 'fixtures', 'n8n-smoke.workflow.json');
const TOKEN = 'engine-test-token-5f1c';

describe('in-process n8n engine', () => {
	let server: LoopbackServer;

	beforeEach(async () => {
		server = await startLoopbackServer((request) =>
			request.url === '/api/v1/users/me'
				? { body: { success: true, data: { id: 7, name: 'Sandbox Admin' } } }
				: { status: 500, body: { success: false, error: 'Internal error', errorCode: 500 } },
		);
	});

	afterEach(async () => {
		await server.close();
	});

	it('runs a workflow file and calls a loopback server with the token added by the credential', async () => {
		const result = await runWorkflow(smokeWorkflow, {
			credentials: { pipedriveMigrationApi: { apiToken: TOKEN, baseUrl: server.url } },
			settings: { pipedriveUrl: server.url },
		});

		expect(result.status).toBe('success');
		expect(result.error).toBeUndefined();
		expect(result.lastNodeExecuted).toBe('Get current user');
		expect(result.items('Get current user')).toEqual([
			{ json: { success: true, data: { id: 7, name: 'Sandbox Admin' } }, pairedItem: { item: 0 } },
		]);
		expect(result.output('Migration settings')).toEqual([
			{ pipedriveUrl: server.url, runId: 'smoke' },
		]);
		expect(server.requests).toHaveLength(1);
		expect(server.requests[0].method).toBe('GET');
		expect(server.requests[0].url).toBe('/api/v1/users/me');
		expect(server.requests[0].headers['x-api-token']).toBe(TOKEN);
	});

	it('takes the workflow as an object and leaves the caller’s object unchanged', async () => {
		const { readFileSync } = await import('node:fs');
		const workflow = JSON.parse(readFileSync(smokeWorkflow, 'utf8')) as object;
		const before = JSON.stringify(workflow);

		const result = await runWorkflow(workflow, {
			credentials: { pipedriveMigrationApi: { apiToken: TOKEN } },
			settings: { pipedriveUrl: server.url, runId: 'second' },
		});

		expect(result.output('Migration settings')).toEqual([
			{ pipedriveUrl: server.url, runId: 'second' },
		]);
		expect(JSON.stringify(workflow)).toBe(before);
	});

	it('reports the failing node and its message', async () => {
		const result = await runWorkflow(smokeWorkflow, {
			credentials: { pipedriveMigrationApi: { apiToken: TOKEN } },
			settings: { pipedriveUrl: `${server.url}/broken` },
		});

		expect(result.status).toBe('error');
		expect(result.error).toEqual({
			node: 'Get current user',
			message: 'The service was not able to process your request',
		});
		expect(result.lastNodeExecuted).toBe('Get current user');
		expect(() => result.output('Nowhere')).toThrow(
			'Node "Nowhere" did not run; nodes that ran: Start, Migration settings, Get current user',
		);
	});

	it('fails the node clearly when its credentials were not supplied', async () => {
		const result = await runWorkflow(smokeWorkflow, { settings: { pipedriveUrl: server.url } });

		expect(result.status).toBe('error');
		expect(result.error?.node).toBe('Get current user');
		expect(result.error?.message).toContain('No "pipedriveMigrationApi" credentials were supplied');
		expect(server.requests).toHaveLength(0);
	});

	it('refuses a setting the Migration settings node does not have, naming the ones it has', async () => {
		await expect(runWorkflow(smokeWorkflow, { settings: { sampleSise: 5 } })).rejects.toThrow(
			'Node "Migration settings" has no field "sampleSise"; its fields are: pipedriveUrl, runId',
		);
	});

	it('names the file when it is not a workflow', async () => {
		const notAWorkflow = join(__dirname, '..', '..', 'package.json');
		await expect(runWorkflow(notAWorkflow)).rejects.toThrow(
			`${notAWorkflow} is not an n8n workflow: it needs a "nodes" array and a "connections" object`,
		);
	});
});
