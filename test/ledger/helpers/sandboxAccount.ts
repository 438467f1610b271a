import { PipedriveClient } from '../../../lib/pipedrive/client';
import { provisionSchema, type ProvisionAction } from '../../../lib/pipedrive/provision';
import { RateLimiter } from '../../../lib/pipedrive/rateLimiter';
import type { FieldRegistry, SchemaRequirements } from '../../../lib/pipedrive/schemaRequirements';
import { FetchTransport } from '../../../lib/transport/fetchTransport';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../../sandbox';

/** The schema the hand-written fixture plans write into (the Mapper's specs bring their own). */
export const FIXTURE_REQUIREMENTS: SchemaRequirements = {
	customFields: [
		{ object: 'person', name: 'Date of birth', fieldType: 'date' },
		{
			object: 'person',
			name: 'Referral source',
			fieldType: 'enum',
			options: ['Website', 'Friend'],
		},
		{ object: 'deal', name: 'Procedure codes', fieldType: 'text' },
	],
	pipeline: { name: 'Treatment plans', stages: ['Proposed', 'Accepted'] },
	activityTypes: [{ name: 'Hygiene', iconKey: 'task' }],
};

export interface SandboxAccount {
	sandbox: RunningSandbox;
	client: PipedriveClient;
	limiter: RateLimiter;
	registry: FieldRegistry;
	/** What provisioning did (Provision Schema's `actions`): created, unchanged, options-added. */
	provisioned: ProvisionAction[];
	companyId: number;
	close(): Promise<void>;
}

/**
 * A sandbox company provisioned for the fixture plans, with a client going through a rate limiter.
 * `beforeProvisioning` sets up what the company held before the migration (e.g. its own fields).
 */
export async function sandboxAccount(
	options: SandboxOptions = {},
	setup: { beforeProvisioning?: (client: PipedriveClient) => Promise<void> } = {},
): Promise<SandboxAccount> {
	const sandbox = await startSandbox({ seed: 11, ...options });
	const limiter = new RateLimiter({
		plan: 'growth',
		seats: 3,
		random: () => 0.5,
		backoffBaseMs: 5,
		backoffMaxMs: 20,
	});
	const client = new PipedriveClient(
		new FetchTransport({ baseUrl: sandbox.baseUrl, apiToken: sandbox.apiToken }),
		{
			limiter,
		},
	);
	const faults = options.faults;
	// Provision without faults: the fault tests are about the commit, not about provisioning.
	if (faults) sandbox.admin.setFaults(null);
	await setup.beforeProvisioning?.(client);
	const { registry, actions } = await provisionSchema(client, FIXTURE_REQUIREMENTS, {
		plan: 'growth',
	});
	if (faults) sandbox.admin.setFaults(faults);
	return {
		sandbox,
		client,
		limiter,
		registry,
		provisioned: actions,
		companyId: sandbox.companyId,
		close: () => sandbox.close(),
	};
}

export type SandboxCounters = ReturnType<SandboxAccount['sandbox']['admin']['counters']>;

/** GET requests and tokens the sandbox itself charged since `before` (an independent count). */
export function readsSince(
	account: SandboxAccount,
	before: SandboxCounters,
): { requests: number; tokens: number } {
	const after = account.sandbox.admin.counters();
	const requests = Object.entries(after.requests)
		.filter(([operation]) => operation.startsWith('GET '))
		.reduce((sum, [operation, n]) => sum + n - (before.requests[operation] ?? 0), 0);
	return { requests, tokens: after.tokensUsed - before.tokensUsed };
}
