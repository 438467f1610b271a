/** The operations of the Pipedrive Provisioner; the router cannot name one that does not exist. */
export const OPERATIONS = [
	'provisionSchema',
	'matchUsers',
	'preflight',
	'getFieldRegistry',
] as const;
export type ProvisionerOperation = (typeof OPERATIONS)[number];
