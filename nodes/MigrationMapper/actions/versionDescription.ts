import type { INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as confirmMapping from './confirmMapping.operation';
import * as proposeMapping from './proposeMapping.operation';
import * as selectSample from './selectSample.operation';
import * as transform from './transform.operation';
import * as validateSpec from './validateSpec.operation';

export const versionDescription: INodeTypeDescription = {
	displayName: 'Migration Mapper',
	name: 'migrationMapper',
	icon: { light: 'file:migrationMapper.svg', dark: 'file:migrationMapper.dark.svg' },
	group: ['transform'],
	version: 1,
	subtitle: '={{ $parameter["operation"] }}',
	description:
		'Proposes and confirms what lands where in Pipedrive, and turns dental patient bundles into migration plans',
	defaults: { name: 'Migration Mapper' },
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	// Not a tool: Propose and Select Sample read whole exports from disk and Transform takes bundles
	// of patient data, which an agent neither supplies nor should receive; and Confirm stands for a
	// human decision that an agent must not take on a practice's behalf.
	properties: [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'Confirm Mapping',
					value: 'confirmMapping',
					description: 'Record the hash of a reviewed spec so Transform and Commit accept it',
					action: 'Confirm the mapping spec',
				},
				{
					name: 'Propose Mapping',
					value: 'proposeMapping',
					description:
						'Propose a mapping spec for an export, with a confidence and reason per column',
					action: 'Propose a mapping for an export',
				},
				{
					name: 'Select Sample',
					value: 'selectSample',
					description: 'Pick a stratified, repeatable slice of patients for the sample migration',
					action: 'Select a sample of patients',
				},
				{
					name: 'Transform',
					value: 'transform',
					description:
						'Turn patient bundles and reference records into plans of Pipedrive requests',
					action: 'Transform records into plans',
				},
				{
					name: 'Validate Spec',
					value: 'validateSpec',
					description: 'Check a mapping spec and list its problems',
					action: 'Validate a mapping spec',
				},
			],
			default: 'proposeMapping',
		},
		...proposeMapping.description,
		...confirmMapping.description,
		...validateSpec.description,
		...transform.description,
		...selectSample.description,
	],
};
