import { join } from 'node:path';

import { startSandbox, type RunningSandbox } from '../../sandbox';
import { runWorkflow } from '../../runner/engine';
import { defaultSpec } from '../../lib/mapping/defaults';
import type { SourceSystem } from '../../lib/model/primitives';
import { awaitsOptions, requiredFields } from '../../lib/pipedrive/fieldRegistry';
import { customFieldsOf, expectedFields } from './helpers/sandboxFields';

const READERS: Record<SourceSystem, string> = {
	'dental-exec': 'Dental-Exec Reader',
	dentadmin: 'DentAdmin Reader',
};

/** The step-2 templates run as shipped (reader on the bundled samples, default spec) against the sandbox. */
describe.each<[SourceSystem]>([['dental-exec'], ['dentadmin']])(
	'template %s/2-provision-pipedrive.json',
	(source) => {
		const template = join(__dirname, '..', '..', 'workflows', source, '2-provision-pipedrive.json');
		let sandbox: RunningSandbox | undefined;
		afterEach(async () => sandbox?.close());
		const running = (): RunningSandbox => {
			if (!sandbox) throw new Error('no sandbox is running');
			return sandbox;
		};

		/** A fresh sandbox account holding `users`; the returned function runs the template against it. */
		async function account(users: Array<{ name: string; email: string }> = []) {
			await sandbox?.close();
			const running = await startSandbox({ plan: 'premium', seats: 2, seed: 17, users });
			sandbox = running;
			const credentials = {
				pipedriveMigrationApi: {
					baseUrl: running.baseUrl,
					apiToken: running.apiToken,
					plan: 'premium',
					seats: 2,
				},
			};
			return () => runWorkflow(template, { credentials });
		}

		it('provisions the default spec, then reports unchanged; matches users and outputs preflight and registry', async () => {
			const run = await account();
			const first = await run();
			expect(first.error).toBeUndefined();
			const requirements = defaultSpec(source, '2026-11-21').schema;
			const fields = requiredFields(requirements);
			const [provisioned] = first.output('Provision Schema');
			const fieldActions = (
				provisioned.actions as Array<{ object: string; action: string }>
			).filter((a) => ['person', 'organization', 'deal'].includes(a.object));
			expect(fieldActions.filter((a) => a.action === 'created')).toHaveLength(
				fields.filter((f) => !awaitsOptions(f)).length,
			);
			expect(provisioned.awaitingOptions).toBe(fields.filter(awaitsOptions).length);
			expect(provisioned.status).toBe('changed');
			expect(customFieldsOf(running())).toEqual(expectedFields(requirements));

			const providers = first.output(READERS[source]).filter((item) => item.kind === 'provider');
			const [users] = first.output('Match Users');
			expect(users.providers).toBe(providers.length);
			expect(users.fallbackUser).toEqual({ id: 1, email: 'admin@sandbox.test' });
			expect(
				(users.unmatched as unknown[]).length +
					(users.matched as unknown[]).length +
					(users.inactiveUsers as unknown[]).length,
			).toBe(providers.length);

			const [preflight] = first.output('Preflight');
			expect(preflight.customFields).toEqual({
				needed: fields.filter(awaitsOptions).length,
				existing: fields.filter((f) => !awaitsOptions(f)).length,
				cap: 300,
				fits: true,
			});
			expect((preflight.writes as Record<string, number>).person).toBe(
				first.output(READERS[source]).filter((i) => i.kind === 'patientBundle').length,
			);

			const [registry] = first.output('Get Field Registry');
			expect({ ...registry, fieldList: undefined }).toEqual({
				...(provisioned.registry as object),
				fieldList: undefined,
			});

			const [again] = (await run()).output('Provision Schema');
			expect(again).toMatchObject({ status: 'unchanged', created: 0, optionsAdded: 0 });
		});

		it('owns a provider by the Pipedrive user with the same email, ignoring case', async () => {
			const probe = await (await account())();
			const provider = probe
				.output(READERS[source])
				.find((item) => item.kind === 'provider' && typeof item.email === 'string');
			if (!provider) throw new Error(`the ${source} sample has no provider with an email`);
			const first = await (
				await account([{ name: 'Provider user', email: String(provider.email).toUpperCase() }])
			)();
			const [users] = first.output('Match Users');
			const matched = users.matched as Array<{ providerKey: string; userId: number }>;
			expect(matched.map((m) => m.providerKey)).toEqual([provider.sourceKey]);
			expect(
				(users.ownerMap as { owners: Record<string, number> }).owners[String(provider.sourceKey)],
			).toBe(matched[0].userId);
		});
	},
);
