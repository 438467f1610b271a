/** The operations of the Migration Mapper; the router cannot name one that does not exist. */
export const OPERATIONS = [
	'proposeMapping',
	'confirmMapping',
	'validateSpec',
	'transform',
	'selectSample',
] as const;
export type MapperOperation = (typeof OPERATIONS)[number];
