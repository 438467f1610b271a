import type { OperationsIndex } from '../../shared/operations';
import * as getFieldRegistry from './getFieldRegistry.operation';
import * as matchUsers from './matchUsers.operation';
import * as preflight from './preflight.operation';
import * as provisionSchema from './provisionSchema.operation';

/** The Pipedrive Provisioner's operations index: node class, router and error text read it. */
export const OPERATIONS = {
	provisionSchema: {
		name: 'Provision Schema',
		description: 'Create missing custom fields, options, the pipeline, stages and activity types',
		action: 'Provision the schema',
		module: provisionSchema,
	},
	matchUsers: {
		name: 'Match Users',
		description: 'Match providers to Pipedrive users by email',
		action: 'Match providers to users',
		module: matchUsers,
	},
	preflight: {
		name: 'Preflight',
		description: 'Estimate the writes, tokens and days the migration needs',
		action: 'Estimate the migration budget',
		module: preflight,
	},
	getFieldRegistry: {
		name: 'Get Field Registry',
		description: "Output the account's hash keys and IDs for the mapping spec's fields",
		action: 'Get the field registry',
		module: getFieldRegistry,
	},
} satisfies OperationsIndex<string>;
