import type { OperationsIndex } from '../../shared/operations';
import * as confirmMapping from './confirmMapping.operation';
import * as proposeMapping from './proposeMapping.operation';
import * as selectSample from './selectSample.operation';
import * as transform from './transform.operation';
import * as validateSpec from './validateSpec.operation';

/** The Migration Mapper's operations index: node class, router and error text read it. */
export const OPERATIONS = {
	proposeMapping: {
		name: 'Propose Mapping',
		description: 'Propose a mapping spec for an export, with a confidence and reason per column',
		action: 'Propose a mapping for an export',
		module: proposeMapping,
	},
	confirmMapping: {
		name: 'Confirm Mapping',
		description: 'Record the hash of a reviewed spec so Transform and Commit accept it',
		action: 'Confirm the mapping spec',
		module: confirmMapping,
	},
	validateSpec: {
		name: 'Validate Spec',
		description: 'Check a mapping spec and list its problems',
		action: 'Validate a mapping spec',
		module: validateSpec,
	},
	transform: {
		name: 'Transform',
		description: 'Turn patient bundles and reference records into plans of Pipedrive requests',
		action: 'Transform records into plans',
		module: transform,
	},
	selectSample: {
		name: 'Select Sample',
		description: 'Pick a stratified, repeatable slice of patients for the sample migration',
		action: 'Select a sample of patients',
		module: selectSample,
	},
} satisfies OperationsIndex<string>;
