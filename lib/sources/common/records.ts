import { sourceKey, type EntityName, type Money } from '../../model';
import type { BuildContext, SourceRow } from './profile';

/** The fields every canonical record carries, filled the same way by every profile. */
export function recordBase(
	ctx: BuildContext,
	entity: EntityName,
	row: SourceRow,
	id: string,
	modifiedAt?: string,
) {
	return {
		sourceSystem: ctx.system,
		sourceId: id,
		sourceKey: sourceKey(ctx.system, entity, id),
		origin: { file: row.file, line: row.line },
		extra: row.extra,
		modifiedAt,
	};
}

/** The source key of a referenced record, or undefined when the row names none. */
export function keyOf(
	ctx: BuildContext,
	entity: EntityName,
	id: string | undefined,
): string | undefined {
	return id === undefined ? undefined : sourceKey(ctx.system, entity, id);
}

export function money(
	ctx: BuildContext,
	amount: string | undefined,
	currency?: string,
): Money | undefined {
	return amount === undefined ? undefined : { amount, currency: currency ?? ctx.currency };
}

/** The object, or undefined when none of its values is set (an address with no parts is no address). */
export function compact<T extends object>(value: T): T | undefined {
	return Object.values(value).some((entry) => entry !== undefined) ? value : undefined;
}
