/** The operations of the Migration Ledger; the router cannot name one that does not exist. */
export const OPERATIONS = [
	'commit',
	'diffReport',
	'reconcile',
	'rollback',
	'getWatermark',
	'advanceWatermark',
	'auditLog',
] as const;
export type LedgerOperation = (typeof OPERATIONS)[number];
