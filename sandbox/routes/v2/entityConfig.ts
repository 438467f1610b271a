import { type AccountState, type Collection, type FieldEntity, type Rec } from '../../account';
import { type Rule, type Shape } from '../../bodyRules';
import { rfc3339 } from '../../clock';
import { checkCustomFields, mergeCustomFields, renderCustomFields } from '../../customFields';
import { checkReference } from '../../references';
import type { Plan, RequestContext } from '../../routing';

/** What differs between the v2 entities; the routes themselves are generic (`../v2Entities.ts`). */
export interface EntityConfig {
	collection: Collection;
	segment: string;
	label: string;
	fieldEntity?: FieldEntity;
	createShape: Shape;
	updateShape: Shape;
	required: string[];
	sortable: readonly string[];
	/** Applies a validated body to a record (new or copy of existing); appends problems. */
	apply(
		ctx: RequestContext,
		rec: Rec,
		body: Record<string, unknown>,
		creating: boolean,
		problems: string[],
	): void;
	/** List filters beyond ids / updated window / owner_id. */
	filter(ctx: RequestContext): (rec: Rec) => boolean;
	/** Stored record → response object. */
	render(state: AccountState, rec: Rec): Rec;
}
export const contactItem: Rule = {
	shape: { value: 'string', primary: 'boolean', label: 'string' },
	required: ['value'],
};
export const contactList: Rule = { array: contactItem };

/** visible_to values by plan (spec text): Lite/Growth 1 or 3; Premium/Ultimate 1, 3, 5 or 7. */
export function visibility(plan: Plan): { allowed: number[]; fallback: number } {
	return plan === 'lite' || plan === 'growth'
		? { allowed: [1, 3], fallback: 3 }
		: { allowed: [1, 3, 5, 7], fallback: 7 };
}

export function applyCommon(
	ctx: RequestContext,
	rec: Rec,
	body: Record<string, unknown>,
	creating: boolean,
	problems: string[],
): void {
	const { allowed, fallback } = visibility(ctx.plan);
	if (body.visible_to !== undefined && !allowed.includes(body.visible_to as number)) {
		problems.push(`visible_to: Expected one of ${allowed.join(', ')} on this plan`);
	}
	checkReference(ctx.account, 'users', body.owner_id, 'owner_id', problems);
	if (creating) {
		rec.owner_id = ctx.user.id;
		rec.visible_to = fallback;
		rec.add_time = rfc3339(ctx.now);
		rec.is_deleted = false;
	}
	for (const key of ['owner_id', 'visible_to'] as const)
		if (body[key] !== undefined) rec[key] = body[key];
}

/** At most one primary; none marked → the first becomes primary; label defaults to `work`. */
export function normaliseContacts(
	list: unknown,
	property: string,
	problems: string[],
): Rec[] | undefined {
	if (!Array.isArray(list)) return undefined;
	const items = list as Array<Record<string, unknown>>;
	if (items.filter((i) => i.primary === true).length > 1)
		problems.push(`${property}: Only one item can be primary`);
	const anyPrimary = items.some((i) => i.primary === true);
	return items.map((i, n) => ({
		value: i.value,
		primary: anyPrimary ? i.primary === true : n === 0,
		label: (i.label as string | undefined) ?? 'work',
	}));
}

export function applyCustomFields(
	ctx: RequestContext,
	entity: FieldEntity,
	rec: Rec,
	body: Record<string, unknown>,
	problems: string[],
): void {
	if (body.custom_fields === undefined) return;
	const before = problems.length;
	checkCustomFields(ctx.account, entity, body.custom_fields, problems);
	if (problems.length === before) {
		rec.custom_fields = mergeCustomFields(
			ctx.account,
			entity,
			(rec.custom_fields as Rec) ?? {},
			body.custom_fields as Record<string, unknown>,
		);
	}
}

export function renderWith(state: AccountState, entity: FieldEntity, rec: Rec): Rec {
	return {
		...rec,
		custom_fields: renderCustomFields(state, entity, rec.custom_fields as Rec | undefined),
	};
}
