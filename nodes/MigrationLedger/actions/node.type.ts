/**
 * The Migration Ledger's resources and their operations (n8n asks for resources past five
 * operations, so the action list reads by purpose). Operation values are unique across
 * resources: the router and older workflows name an operation alone.
 */
export const RESOURCES = {
	run: ['commit', 'rollback'],
	report: ['diffReport', 'reconcile', 'auditLog', 'status'],
	watermark: ['getWatermark', 'advanceWatermark'],
} as const;

export type LedgerResource = keyof typeof RESOURCES;
export type LedgerOperation = (typeof RESOURCES)[LedgerResource][number];

export const OPERATIONS: readonly LedgerOperation[] = Object.values(RESOURCES).flat();

/** The resource an operation belongs to (templates set both). */
export function resourceOf(operation: LedgerOperation): LedgerResource {
	const entry = Object.entries(RESOURCES).find(([, operations]) =>
		(operations as readonly string[]).includes(operation),
	);
	if (!entry) throw new Error(`The Migration Ledger has no operation "${operation}"`);
	return entry[0] as LedgerResource;
}
