import { compareText } from '../order';
import type { PatientBundle, ReferenceEntity } from '../../model';
import { PIPEDRIVE_OBJECTS } from '../../plan/plan';
import type { Plan, PlanFinding, PlanOperation } from '../../plan/plan';
import type { FieldRegistry } from '../../pipedrive/schemaRequirements';
import { MappingSpecError, requireConfirmedSpec } from '../confirm';
import type { MappingSpec } from '../spec';
import { appointmentOperations } from './appointments';
import { TransformContext } from './context';
import type { TransformInput } from './context';
import { dealOperations } from './deals';
import { fileOperations } from './documents';
import { labCaseOperations } from './labCases';
import { leadOperations } from './leads';
import { noteOperations } from './notes';
import { insurerOrganization, practiceOrganization, primaryOrganization } from './organizations';
import { personOperation } from './person';

export type { TransformInput } from './context';

export interface Transformer {
	/**
	 * Bundle → plan: pure data, deterministic (no clock, sorted iteration), operations in
	 * dependency order (organizations → person → lead → deal → activities → notes → files) with
	 * references as source keys.
	 */
	bundle(bundle: PatientBundle): Plan;
	/**
	 * Reference entities → one plan each: practices (one per location) and insurers become
	 * organizations. Providers become no records (they are matched to users) and referral sources
	 * are enum options (in the spec's schema), so they yield no plan.
	 */
	referenceEntities(entities: ReferenceEntity[]): Plan[];
}

/**
 * Passes the confirm gate and checks the registry once, then transforms any number of records
 * with that spec (the gate costs more than a bundle's transform).
 */
export function createTransformer(input: TransformInput): Transformer {
	const prepared = prepare(input);
	const fresh = () => new TransformContext(prepared.input, prepared.specHash);
	return {
		bundle(bundle) {
			const ctx = fresh();
			if (bundle.sourceSystem !== ctx.spec.source)
				throw new MappingSpecError(
					`The bundle comes from ${bundle.sourceSystem} but the spec is for ${ctx.spec.source}: use the ${bundle.sourceSystem} spec.`,
				);
			const organization = primaryOrganization(ctx, bundle);
			const operations = [
				...(organization.operation ? [organization.operation] : []),
				personOperation(ctx, bundle, organization.key),
				...leadOperations(ctx, bundle),
				...dealOperations(ctx, bundle),
				...appointmentOperations(ctx, bundle),
				...labCaseOperations(ctx, bundle),
				...noteOperations(ctx, bundle),
				...fileOperations(ctx, bundle),
			];
			return plan(ctx, bundle.bundleKey, operations);
		},
		referenceEntities(entities) {
			const plans: Plan[] = [];
			for (const entity of [...entities].sort((a, b) => compareText(a.sourceKey, b.sourceKey))) {
				if (entity.kind !== 'practice' && entity.kind !== 'insurer') continue;
				const ctx = fresh();
				const operation =
					entity.kind === 'practice'
						? practiceOrganization(ctx, entity)
						: insurerOrganization(ctx, entity);
				plans.push(plan(ctx, entity.sourceKey, [operation]));
			}
			return plans;
		},
	};
}

/** One bundle with a spec (see Transformer.bundle). */
export function transformBundle(bundle: PatientBundle, input: TransformInput): Plan {
	return createTransformer(input).bundle(bundle);
}

/** Reference entities with a spec (see Transformer.referenceEntities). */
export function transformReferenceEntities(
	entities: ReferenceEntity[],
	input: TransformInput,
): Plan[] {
	return createTransformer(input).referenceEntities(entities);
}

function prepare(input: TransformInput): TransformContext {
	const { spec, specHash } = requireConfirmedSpec(input.spec, input.confirmedSpecHash);
	requireRegistryCovers(spec, input.registry);
	const pseudonymised = [
		...Object.values(spec.fields),
		...spec.unknownColumns.map((column) => column.target),
	].some((target) => 'pseudonymise' in target && target.pseudonymise !== undefined);
	if (pseudonymised && !input.pseudonymKey)
		throw new MappingSpecError(
			'The mapping spec pseudonymises fields but no pseudonym key was given: set the pseudonym key (keep it secret and the same for every run).',
		);
	return new TransformContext({ ...input, spec }, specHash);
}

/** Every field, option, stage and activity type the spec uses must be provisioned first. */
function requireRegistryCovers(spec: MappingSpec, registry: FieldRegistry): void {
	const missing: string[] = [];
	for (const field of spec.schema.customFields) {
		const registered = registry.fields[field.object]?.[field.name];
		if (registered === undefined) {
			missing.push(`${field.object} field "${field.name}"`);
			continue;
		}
		for (const option of field.options ?? [])
			if (registered.options?.[option] === undefined)
				missing.push(`option "${option}" of "${field.name}"`);
	}
	for (const stage of spec.schema.pipeline.stages)
		if (registry.pipeline.stages[stage] === undefined) missing.push(`stage "${stage}"`);
	for (const type of spec.schema.activityTypes)
		if (registry.activityTypes[type.name] === undefined)
			missing.push(`activity type "${type.name}"`);
	if (missing.length > 0)
		throw new MappingSpecError(
			`The field registry lacks what the spec needs (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? `, and ${missing.length - 5} more` : ''}): run the Provisioner with this spec first.`,
			missing,
		);
}

const objectOrder = (operation: PlanOperation) => PIPEDRIVE_OBJECTS.indexOf(operation.object);

function plan(ctx: TransformContext, bundleKey: string, operations: PlanOperation[]): Plan {
	const ordered = [...operations].sort(
		(a, b) => objectOrder(a) - objectOrder(b) || compareText(a.key, b.key),
	);
	const findings = [...ctx.findings].sort(
		(a: PlanFinding, b: PlanFinding) =>
			compareText(a.key, b.key) || compareText(a.code, b.code) || compareText(a.message, b.message),
	);
	return {
		source: ctx.spec.source,
		bundleKey,
		specHash: ctx.specHash,
		operations: ordered,
		findings,
	};
}
