import type { SourceTable } from './sources';
import { stableId, type NodeDefinition, type Parameters } from './workflow';
import { resourceOf, type LedgerOperation } from '../../nodes/MigrationLedger/actions/node.type';

/**
 * The nodes several steps share, each defined once: what a step adds is its position (and, for
 * the ledger and reader, a few parameters of its own). Expressions that name another node live
 * here too, so a node rename or an output index is changed in one place.
 */

type Position = [number, number];

const PACKAGE = 'n8n-nodes-dental-pipedrive';
const PIPEDRIVE_CREDENTIALS = { pipedriveMigrationApi: { name: 'Pipedrive (sandbox or company)' } };

export const SETTINGS_NODE = 'Migration settings';

/** `{{ … }}` as an n8n expression parameter. */
const expression = (body: string) => `={{ ${body} }}`;

/** A Migration settings value, read by name (works wherever the node sits in the path). */
export const setting = (name: string) => `$('${SETTINGS_NODE}').first().json.${name}`;

/**
 * The reader's records. The output index matters: n8n resolves `$('Reader').all()` along the path
 * to the current node, and in steps 4, 5 and delta that path runs through the report output, so
 * without `0` Match Users got the validation report (issue 12).
 */
export const readerRecords = (source: SourceTable) =>
	expression(`$('${source.reader.name}').all(0).map(item => item.json)`);

/** The reader's validation report (its second output). */
export const readerReport = (source: SourceTable) =>
	expression(`$('${source.reader.name}').all(1)[0].json`);

/** The hash Transform and Commit accept: the one confirmed in step 3, or any valid spec's when unattended. */
const CONFIRMED_SPEC_HASH = expression(
	`${setting('confirmUnattended')} === true ? $('Spec to migrate').first().json.specHash : ${setting('confirmedSpecHash')}`,
);
/** The spec this run migrates, as Spec to migrate validated it. */
export const SPEC = expression(`$('Spec to migrate').first().json.spec`);
const REGISTRY = expression(`$('Provision Schema').first().json.registry`);
/** The journal run the Commit of this execution wrote (its last page's, in step 5). */
export const COMMITTED_RUN = expression(`$('Commit').last().json.runId`);

/**
 * The diff report, verified from the source: the reader's records (bundles and the reference
 * entities their owners and organizations come from) against what Pipedrive holds, by the
 * confirmed spec's rules. `bundles` names where this step's patient bundles are.
 */
export function verifyFromSource(
	name: string,
	position: Position,
	bundles: string,
	runId: string | ReturnType<typeof expression> = COMMITTED_RUN,
): NodeDefinition {
	return ledger(name, position, {
		operation: 'diffReport',
		sourceRecords: expression(
			`[...$('Records').all(0).filter(item => item.json.kind !== 'patientBundle'), ...${bundles}.filter(item => item.json.kind === 'patientBundle')].map(item => item.json)`,
		),
		spec: SPEC,
		registry: REGISTRY,
		exportDir: expression(setting('exportDir')),
		runId,
		maxReadBackTokens: 0,
	});
}

export function manualTrigger(position: Position): NodeDefinition {
	return {
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position,
		parameters: {},
	};
}

/** The settings of every template, in this order (applySettings and n8n-check override them by name). */
export function migrationSettings(source: SourceTable, position: Position): NodeDefinition {
	const { exportDir, sampleSize, currency, timeZone } = source.settings;
	const values: Array<[string, string | number | boolean]> = [
		['exportDir', exportDir],
		['sampleSize', sampleSize],
		['leadRecencyMonths', 12],
		// The map's date (the spec's rules.today): empty = the day of the run.
		['today', ''],
		['fallbackOwnerEmail', 'admin@sandbox.test'],
		['currency', currency],
		['journalDir', '.migration-journal'],
		['confirmUnattended', false],
		['rollbackScope', 'migration'],
		// After go-live: a field staff changed in Pipedrive stays (keep-pipedrive | source-wins | stop).
		['conflictPolicy', 'keep-pipedrive'],
		// Rollback when staff worked on migrated records: stop and list them | keep them | include them.
		['practiceWork', 'stop'],
		['runId', ''],
		['timeZone', timeZone],
		['confirmedSpecHash', ''],
		['mappingSpec', ''],
	];
	return {
		name: SETTINGS_NODE,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position,
		parameters: {
			assignments: {
				assignments: values.map(([name, value]) => ({
					id: stableId(source.source, SETTINGS_NODE, name),
					name,
					value,
					type: typeof value,
				})),
			},
			options: {},
		},
	};
}

/**
 * Where a streamed read puts its pages: a folder next to the journal folder (they hold patient
 * values like the journal; the path is normalised, so the journal folder need not exist yet).
 */
const WORK_DIR = expression(`${setting('journalDir')} + '/../.migration-work'`);

/**
 * The source's reader on the export folder of Migration settings; `pageSize` makes it a streamed
 * read (one pass into pages on disk, one item per page, see nodes/shared/reader).
 */
export function reader(
	source: SourceTable,
	position: Position,
	options: {
		name?: string;
		failOnUnreadableFile?: boolean;
		modifiedSince?: string;
		pageSize?: number;
	} = {},
): NodeDefinition {
	const {
		name = source.reader.name,
		failOnUnreadableFile = true,
		modifiedSince,
		pageSize,
	} = options;
	return {
		name,
		type: source.reader.type,
		typeVersion: 1,
		position,
		parameters: {
			inputMode: 'folder',
			folderPath: expression(setting('exportDir')),
			entities: [],
			options: {
				timeZone: expression(setting('timeZone')),
				currency: expression(setting('currency')),
				failOnUnreadableFile,
				...(modifiedSince === undefined ? {} : { modifiedSince }),
				...(pageSize === undefined ? {} : { output: 'pages', pageSize, workDir: WORK_DIR }),
			},
			...source.reader.parameters,
		},
	};
}

export function mapper(name: string, position: Position, parameters: Parameters): NodeDefinition {
	return { name, type: `${PACKAGE}.migrationMapper`, typeVersion: 1, position, parameters };
}

function pipedriveNode(
	name: string,
	nodeType: 'pipedriveProvisioner' | 'migrationLedger',
	position: Position,
	parameters: Parameters,
): NodeDefinition {
	return {
		name,
		type: `${PACKAGE}.${nodeType}`,
		typeVersion: 1,
		position,
		parameters: { authentication: 'apiToken', ...parameters },
		credentials: PIPEDRIVE_CREDENTIALS,
	};
}

export function provisioner(name: string, position: Position, parameters: Parameters) {
	return pipedriveNode(name, 'pipedriveProvisioner', position, parameters);
}

/** A Ledger node on the embedded journal of Migration settings; its resource follows the operation. */
export function ledger(
	name: string,
	position: Position,
	parameters: Parameters & { operation: LedgerOperation },
) {
	return pipedriveNode(name, 'migrationLedger', position, {
		resource: resourceOf(parameters.operation),
		journal: 'embedded',
		journalDir: expression(setting('journalDir')),
		...parameters,
	});
}

export function proposeMapping(source: SourceTable, position: Position): NodeDefinition {
	return mapper('Propose Mapping', position, {
		operation: 'proposeMapping',
		sourceSystem: source.source,
		exportDir: expression(setting('exportDir')),
		// Part of the spec and its hash: an unattended migration that spans days pins it, or each
		// day proposes another map (and a group re-run finds none of its finished pages).
		today: expression(setting('today')),
		sampleRows: 50,
		// Migration settings seed these rules of the proposal; from then on the confirmed spec holds them.
		options: {
			fallbackOwnerEmail: expression(setting('fallbackOwnerEmail')),
			leadRecencyMonths: expression(setting('leadRecencyMonths')),
			currency: expression(setting('currency')),
		},
	});
}

/** The spec pasted into mappingSpec, else the proposal rebuilt from this export. */
export function specToMigrate(position: Position): NodeDefinition {
	return mapper('Spec to migrate', position, {
		operation: 'validateSpec',
		spec: expression(
			`${setting('mappingSpec')} ? JSON.parse(${setting('mappingSpec')}) : $('Propose Mapping').first().json.spec`,
		),
	});
}

/** Provision Schema from the default spec (step 2) or from Spec to migrate, its input (steps 4, 5, delta). */
export function provisionSchema(
	source: SourceTable,
	position: Position,
	schemaSource: 'defaultSpec' | 'input',
): NodeDefinition {
	return provisioner('Provision Schema', position, {
		operation: 'provisionSchema',
		schemaSource,
		...(schemaSource === 'defaultSpec' ? { sourceSystem: source.source } : {}),
	});
}

/**
 * Match Users: the fallback owner is the confirmed spec's rule (steps 4, 5, delta), or before any
 * spec is confirmed (step 2) the Migration settings value that will seed it.
 */
export function matchUsers(
	source: SourceTable,
	position: Position,
	fallbackOwner: 'spec' | 'settings',
): NodeDefinition {
	return provisioner('Match Users', position, {
		operation: 'matchUsers',
		readerItems: readerRecords(source),
		...(fallbackOwner === 'spec'
			? { fallbackOwnerSource: 'spec', spec: SPEC }
			: { fallbackOwnerEmail: expression(setting('fallbackOwnerEmail')) }),
	});
}

export function transform(position: Position): NodeDefinition {
	return mapper('Transform', position, {
		operation: 'transform',
		spec: SPEC,
		confirmedSpecHash: CONFIRMED_SPEC_HASH,
		registry: REGISTRY,
		owners: expression(`$('Match Users').first().json.ownerMap`),
		pseudonymKey: '',
	});
}

export function commit(
	position: Position,
	runKind: 'sample' | 'full' | 'delta',
	runId: string,
): NodeDefinition {
	return ledger('Commit', position, {
		operation: 'commit',
		registry: REGISTRY,
		confirmedSpecHash: CONFIRMED_SPEC_HASH,
		runKind,
		runId,
		conflictPolicy: expression(setting('conflictPolicy')),
	});
}

/** A Filter node keeping the items whose `kind` is (`keep`) or is not `kind`. */
export function kindFilter(
	name: string,
	position: Position,
	kind: string,
	keep: boolean,
): NodeDefinition {
	return {
		name,
		type: 'n8n-nodes-base.filter',
		typeVersion: 2.2,
		position,
		parameters: {
			conditions: {
				options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
				conditions: [
					{
						id: stableId(name, 'kind'),
						leftValue: '={{ $json.kind }}',
						rightValue: kind,
						operator: { type: 'string', operation: keep ? 'equals' : 'notEquals' },
					},
				],
				combinator: 'and',
			},
			options: {},
		},
	};
}

/** n8n's Merge node that waits for both inputs and passes on the first one's items. */
export function waitForBoth(name: string, position: Position): NodeDefinition {
	return {
		name,
		type: 'n8n-nodes-base.merge',
		typeVersion: 3.2,
		position,
		parameters: {
			mode: 'chooseBranch',
			chooseBranchMode: 'waitForAll',
			output: 'specifiedInput',
			useDataOfInput: 1,
		},
	};
}

export function noOp(name: string, position: Position): NodeDefinition {
	return { name, type: 'n8n-nodes-base.noOp', typeVersion: 1, position, parameters: {} };
}

export function stickyNote(
	name: string,
	position: Position,
	note: { width: number; height: number; color: number; content: string },
): NodeDefinition {
	return {
		name,
		type: 'n8n-nodes-base.stickyNote',
		typeVersion: 1,
		position,
		parameters: { ...note },
	};
}

export { expression };

/** n8n's If node (version 2.2) with one condition. */
export function ifNode(
	name: string,
	position: [number, number],
	condition: { leftValue: string; rightValue: string; operator: Record<string, unknown> },
	conditionId: string,
): NodeDefinition {
	return {
		name,
		type: 'n8n-nodes-base.if',
		typeVersion: 2.2,
		position,
		parameters: {
			conditions: {
				options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
				conditions: [{ id: conditionId, ...condition }],
				combinator: 'and',
			},
			options: {},
		},
	};
}
