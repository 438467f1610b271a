import type { Insurer, PatientBundle, Practice } from '../../model';
import type { PlanOperation } from '../../plan/plan';
import type { UnknownColumnEntity } from '../spec';
import type { TransformContext } from './context';
import { namedOrganizationKey } from './derivedKeys';
import { OperationBuilder } from './operationBuilder';
import { text } from './values';

/** Brief Dental-Exec row 3 / DentAdmin row 2: practices and insurers become organizations. */
export function practiceOrganization(ctx: TransformContext, practice: Practice): PlanOperation {
	const builder = organizationBuilder(ctx, practice.sourceKey)
		.mapped('practice.name', text(practice.name))
		.mapped('practice.address', practice.address && { type: 'address', value: practice.address })
		.mapped('practice.phone', text(practice.phone))
		.mapped('practice.email', text(practice.email))
		.mapped('practice.website', text(practice.website));
	return withUnknownColumns(ctx, builder, 'practice', practice.extra).build();
}

/**
 * Insurers are matched by name and code before one is created (the Ledger searches by the
 * source-key field and by name), so the body carries both.
 */
export function insurerOrganization(ctx: TransformContext, insurer: Insurer): PlanOperation {
	const builder = organizationBuilder(ctx, insurer.sourceKey)
		.mapped('insurer.name', text(insurer.name))
		.mapped('insurer.code', text(insurer.code))
		.mapped('insurer.union', text(insurer.union && `${insurer.union.code} ${insurer.union.name}`))
		.mapped('insurer.address', insurer.address && { type: 'address', value: insurer.address })
		.mapped('insurer.phone', text(insurer.phone))
		.mapped('insurer.email', text(insurer.email))
		.mapped('insurer.website', text(insurer.website))
		.mapped('insurer.policyPrefix', text(insurer.policyPrefix))
		.mapped('insurer.reimbursementTier', text(insurer.reimbursementTier));
	return withUnknownColumns(ctx, builder, 'insurer', insurer.extra).build();
}

/**
 * Brief Dental-Exec row 1: the person's primary organization is the practice, unless the record
 * links an employer or a referring dentist, which then becomes an organization of its own.
 * Returns the organization key and, for a named organization, its operation.
 */
export function primaryOrganization(
	ctx: TransformContext,
	bundle: PatientBundle,
): { key: string | undefined; operation?: PlanOperation } {
	const patient = bundle.patient;
	const named = text(patient.employer)
		? { role: 'employer' as const, name: patient.employer as string }
		: text(patient.referringDentist)
			? {
					role: 'referring-dentist' as const,
					name: patient.referringDentist as string,
				}
			: undefined;
	if (named === undefined) return { key: patient.practiceKey };
	const key = namedOrganizationKey(bundle.sourceSystem, named.role, named.name);
	const operation = organizationBuilder(ctx, key, bundle.bundleKey)
		.fixed(
			`patient.${named.role === 'employer' ? 'employer' : 'referringDentist'}`,
			'name',
			'text',
			named.name.trim(),
		)
		.build();
	return { key, operation };
}

function organizationBuilder(
	ctx: TransformContext,
	key: string,
	bundleKey = key,
): OperationBuilder {
	return new OperationBuilder(ctx, 'organization', key, bundleKey)
		.fixed('rules.fallbackOwner', 'owner_id', 'user', ctx.input.owners.fallbackUserId)
		.fixed('rules.visibleTo', 'visible_to', 'visible_to', ctx.spec.rules.visibleTo)
		.sourceKey();
}

/** Extra export columns the spec routes to custom fields (the rest are excluded on purpose). */
export function withUnknownColumns(
	ctx: TransformContext,
	builder: OperationBuilder,
	entity: UnknownColumnEntity,
	extra: Record<string, string>,
): OperationBuilder {
	for (const column of ctx.spec.unknownColumns) {
		if (column.entity !== entity || 'exclude' in column.target) continue;
		builder.custom(`${entity}.extra.${column.header}`, column.target, text(extra[column.header]));
	}
	for (const header of Object.keys(extra).sort()) {
		const routed = ctx.spec.unknownColumns.some((c) => c.entity === entity && c.header === header);
		if (!routed && text(extra[header]) !== undefined)
			ctx.report(
				'warning',
				builder.bundleKey,
				'column-unmapped',
				`Column "${header}" (${entity}) has values but no entry in the spec's unknownColumns: map it or exclude it.`,
			);
	}
	return builder;
}
