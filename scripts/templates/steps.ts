import {
	ifNode,
	COMMITTED_RUN,
	verifyFromSource,
	commit,
	expression,
	kindFilter,
	ledger,
	manualTrigger,
	mapper,
	matchUsers,
	migrationSettings,
	noOp,
	proposeMapping,
	provisioner,
	provisionSchema,
	reader,
	readerReport,
	readerRecords,
	setting,
	specToMigrate,
	SETTINGS_NODE,
	SPEC,
	stickyNote,
	transform,
	waitForBoth,
} from './nodes';
import type { SourceTable } from './sources';
import {
	stableId,
	workflow,
	type Edge,
	type NodeDefinition,
	type TemplateWorkflow,
} from './workflow';

/**
 * One function per step: its nodes, their positions and its connections, for either source.
 * The block every migrating step shares (steps 4, 5 and delta) is `prepareMigration`.
 */

/** A chain of nodes, each feeding the next from its first output. */
const chain = (...names: string[]): Edge[] =>
	names.slice(1).map((to, index) => ({ from: names[index], to }));

/** Patients per page of the full migration; Preflight prices one Commit run per page. */
const FULL_MIGRATION_PAGE_SIZE = 50;

const NOTE_PREPARE = `## Before the commit
The reader validates the export; **Spec to migrate** is the map confirmed in step 3: the proposal rebuilt from this export, or the spec you edited, pasted into **mappingSpec**. Nothing is transformed or committed unless its hash equals **confirmedSpecHash** (the hash step 3 printed when you confirmed; set **today** to the date it printed with it, or on another day this step proposes the map for that day and the hash differs). Only **confirmUnattended = true** skips that, for scheduled or demo runs. **Provision Schema** and **Match Users** are idempotent: they find everything that step 2 created and give the field registry and owners. **Records** reads the export again for the records themselves.`;

const NOTE_PREPARE_STREAMED = `## Before the commit
The reader validates the whole export in **one pass** and leaves its patients on disk in pages of 50 (in \`.migration-work\` next to **journalDir**, owner-only: they hold patient values; the next run empties it), so the export is read once and never held whole in memory. n8n's own memory still grows with the number of pages (measured with \`npm run test:n8n:scale\`): for a large practice, split the export or use the group template. **Spec to migrate** is the map confirmed in step 3: the proposal rebuilt from this export, or the spec you edited, pasted into **mappingSpec**. Nothing is transformed or committed unless its hash equals **confirmedSpecHash** (the hash step 3 printed when you confirmed; set **today** to the date it printed with it, or on another day this step proposes the map for that day and the hash differs). Only **confirmUnattended = true** skips that, for scheduled or demo runs. **Provision Schema** and **Match Users** are idempotent: they find everything that step 2 created and give the field registry and owners. **Records** passes the reader's items on once they are done.`;

/**
 * Reader → (report) Propose Mapping → Spec to migrate → Provision Schema → Match Users → Records,
 * from `x` on: the confirmed spec, the registry and the owners, then the records to migrate; and
 * the note that explains them (steps 4 and 5 show it).
 * Match Users is reached through the reader's report output, hence `all(0)` in its expression.
 * `streamed`: the reader reads once into pages on disk, and Records is no second read but waits
 * for Match Users and passes the reader's items on (the reference entities and one per page).
 */
function prepareMigration(
	source: SourceTable,
	x: number,
	records: { modifiedSince?: string; streamed?: boolean } = {},
): { nodes: NodeDefinition[]; edges: Edge[]; note: NodeDefinition } {
	const readerName = source.reader.name;
	const { streamed = false, ...recordsOptions } = records;
	const note = stickyNote('Note: prepare', [x, 0], {
		width: 1100,
		height: 260,
		color: 5,
		content: streamed ? NOTE_PREPARE_STREAMED : NOTE_PREPARE,
	});
	const setup = [
		proposeMapping(source, [x + 220, 400]),
		specToMigrate([x + 440, 400]),
		provisionSchema(source, [x + 660, 400], 'input'),
		matchUsers(source, [x + 880, 400], 'spec'),
	];
	const setupEdges: Edge[] = [
		{ from: readerName, to: 'Propose Mapping', output: 1 },
		...chain('Propose Mapping', 'Spec to migrate', 'Provision Schema', 'Match Users'),
	];
	if (streamed)
		return {
			note,
			nodes: [
				reader(source, [x, 300], { pageSize: FULL_MIGRATION_PAGE_SIZE, ...recordsOptions }),
				...setup,
				waitForBoth('Records', [x + 1100, 300]),
			],
			edges: [
				...setupEdges,
				{ from: readerName, to: 'Records' },
				{ from: 'Match Users', to: 'Records', input: 1 },
			],
		};
	return {
		note,
		nodes: [
			reader(source, [x, 300]),
			...setup,
			reader(source, [x + 1100, 300], { name: 'Records', ...recordsOptions }),
		],
		edges: [...setupEdges, { from: 'Match Users', to: 'Records' }],
	};
}

export function extractValidate(source: SourceTable): TemplateWorkflow {
	const notes = source.extractNotes;
	return workflow(
		`${source.workflowIdPrefix}1ExtractValidate`,
		`${source.label} 1 · Extract and validate`,
		[
			manualTrigger([0, 300]),
			migrationSettings(source, [240, 300]),
			reader(source, [500, 300]),
			noOp('Validated records', [780, 200]),
			noOp('Validation report', [780, 420]),
			stickyNote('Note: settings', [160, -300], { width: 420, color: 5, ...notes.settings }),
			stickyNote('Note: reader', [440, -300], { width: 300, color: 4, ...notes.reader }),
			stickyNote('Note: outputs', [760, -300], { width: 320, color: 6, ...notes.outputs }),
		],
		[
			...chain('Start', SETTINGS_NODE, source.reader.name, 'Validated records'),
			{ from: source.reader.name, to: 'Validation report', output: 1 },
		],
	);
}

export function provisionPipedrive(source: SourceTable): TemplateWorkflow {
	const defaultSpec = { schemaSource: 'defaultSpec', sourceSystem: source.source };
	const note = { height: 520 };
	return workflow(
		`${source.workflowIdPrefix}2ProvisionPipedrive`,
		`${source.label} 2 · Provision Pipedrive`,
		[
			manualTrigger([0, 300]),
			migrationSettings(source, [220, 300]),
			reader(source, [440, 300]),
			provisionSchema(source, [680, 200], 'defaultSpec'),
			matchUsers(source, [900, 200], 'settings'),
			provisioner('Preflight', [1120, 200], {
				operation: 'preflight',
				...defaultSpec,
				readerItems: readerRecords(source),
				validationReport: readerReport(source),
				leads: 0,
				registry: expression(`$('Provision Schema').first().json.registry`),
				owners: expression(`$('Match Users').first().json.ownerMap`),
				pageSize: FULL_MIGRATION_PAGE_SIZE,
				retryShare: 0,
			}),
			provisioner('Get Field Registry', [1340, 200], {
				operation: 'getFieldRegistry',
				...defaultSpec,
			}),
			stickyNote('Note: settings', [120, -340], {
				width: 380,
				...note,
				color: 5,
				content: `## Migration settings
The same fields as every template (exportDir, sampleSize, leadRecencyMonths, fallbackOwnerEmail, currency, journalDir, confirmUnattended, rollbackScope, runId, timeZone).
This step uses **exportDir** (the reader counts what will migrate) and **fallbackOwnerEmail** (owner of records whose provider has no active Pipedrive user; empty = the connected user). It also seeds the proposal in step 3: from step 4 on, Match Users reads the confirmed spec's rules.fallbackOwnerEmail.
The Pipedrive credential carries the base URL (api.pipedrive.com, your company domain or the sandbox), the **plan** and **seats**: they set the daily token budget and the custom-field cap.`,
			}),
			stickyNote('Note: provision', [640, -340], {
				width: 420,
				...note,
				color: 4,
				content: `## 2. Provision Pipedrive
**Provision Schema** creates, before any record lands, every custom field the mapping spec needs on persons, organizations and deals (with their options), the **Migration source key** field used for idempotency, the treatment-plan pipeline with its stages and the activity types. It finds everything by name first: a second run creates nothing and says \`unchanged\`. If the spec does not fit the plan's custom-field cap it stops before creating anything.
Until step 3 confirms a mapping spec this template uses the source's **default spec**; after step 3, set *Schema From* to *Input Item* and feed it the confirmed spec (running again only adds what is missing).
Enum fields whose options come from the export (the referral list) are created by that run: they show as \`awaits-options\`.`,
			}),
			stickyNote('Note: users and budget', [1080, -340], {
				width: 440,
				...note,
				color: 6,
				content: `## Users, budget, registry
**Match Users** matches providers to Pipedrive users by email (case-insensitive). Unmatched providers and providers whose user is inactive are owned by the fallback user and listed for review; providers sharing one email are listed too. Nobody is created in Pipedrive.
**Preflight** prices the migration from its plans: it transforms every bundle locally (with the registry and owner map above) and counts every request at its spec token cost, plus setup reads, the verification read-back and the expected retries; per object and per day of the plan's budget, with the custom fields against the cap. Step 5 with a spec other than the default one costs what its own plans cost.
**Get Field Registry** outputs our field names with the account's 40-character hash keys and option ids, the pipeline, stages and activity types: keep it for later automations. Hash keys differ per account: never copy one from another account.`,
			}),
		],
		chain(
			'Start',
			SETTINGS_NODE,
			source.reader.name,
			'Provision Schema',
			'Match Users',
			'Preflight',
			'Get Field Registry',
		),
	);
}

export function proposeAndConfirm(source: SourceTable): TemplateWorkflow {
	const id = `${source.workflowIdPrefix}3ProposeMapping`;
	const approve = 'Approve this map';
	return workflow(
		id,
		`${source.label} 3 · Propose and confirm the map`,
		[
			manualTrigger([0, 300]),
			migrationSettings(source, [220, 300]),
			// Step 3 reports an unreadable file instead of stopping: the proposal covers what can be read.
			reader(source, [440, 300], { failOnUnreadableFile: false }),
			proposeMapping(source, [700, 400]),
			ifNode(
				'Confirm unattended?',
				[940, 400],
				{
					leftValue: expression(setting('confirmUnattended')),
					rightValue: '',
					operator: { type: 'boolean', operation: 'true', singleValue: true },
				},
				stableId(id, 'Confirm unattended?'),
			),
			{
				name: 'Review the proposed map',
				type: 'n8n-nodes-base.wait',
				typeVersion: 1.1,
				position: [1180, 520],
				parameters: {
					resume: 'form',
					formTitle: 'Confirm the migration map',
					formDescription:
						'=Review where every export column lands in Pipedrive before anything is migrated. {{ $json.needsReview }} proposals need a closer look.\n\n{{ $json.tableHtml }}',
					formFields: {
						values: [
							{
								fieldLabel: 'Decision',
								fieldType: 'dropdown',
								fieldOptions: {
									values: [{ option: approve }, { option: 'Reject: change the spec first' }],
								},
								requiredField: true,
							},
						],
					},
					options: {},
				},
			},
			ifNode(
				'Approved?',
				[1420, 520],
				{
					leftValue: '={{ $json.Decision }}',
					rightValue: approve,
					operator: { type: 'string', operation: 'equals' },
				},
				stableId(id, 'Approved?'),
			),
			mapper('Confirm Mapping', [1660, 400], {
				operation: 'confirmMapping',
				spec: expression(`$('Propose Mapping').first().json.spec`),
			}),
			stickyNote('Note: settings', [160, -260], {
				width: 420,
				height: 500,
				color: 5,
				content: `## Migration settings
Everything a consultant changes per client lives in **Migration settings**; every template uses the same names.
- **exportDir**: the ${source.label} export folder on the n8n host (relative paths resolve against n8n's working directory; \`npm run workflow -- ... --set exportDir=<folder>\` overrides it).
- **leadRecencyMonths**, **fallbackOwnerEmail**: seed the proposal's rules; the confirmed spec then holds them (Select Sample, Transform, Match Users and the Diff Report read it): edit them in the spec before you confirm.
- **currency**: the reader's currency for amounts without one.
- **confirmUnattended**: \`false\` (default) stops at a form where a person approves the proposed table; \`true\` confirms without a person, for scheduled runs and the demo (which says so when it uses it).
- **timeZone**: IANA zone of the practice's local times.`,
			}),
			stickyNote('Note: propose and confirm', [660, -260], {
				width: 1180,
				height: 500,
				color: 4,
				content: `## Step 3: propose the map, confirm it
1. The reader validates the export; its **report** (missing and extra columns) goes to **Propose Mapping**.
2. **Propose Mapping** starts from the default spec and proposes a target for every column, with a confidence and a one-line reason from the header (English, Dutch, French, vendor abbreviations) and the sampled values. An export from another system gets a **column map** (its headers → the reader's fields) inside the spec. Its output item holds \`spec\`, \`specHash\`, a readable \`table\` (markdown) and the same table as \`tableHtml\` for the form.
3. Nothing moves until the map is confirmed: **Review the proposed map** is a form that shows the table to a person; only *Approve* leads to **Confirm Mapping**.
4. **Confirm Mapping** outputs \`specHash\` and \`today\` (the date the lead rule counts back from, part of the hash): set both in the Migration settings of steps 4, 5 and delta. Transform and the Ledger's Commit accept only a spec with exactly this hash. Any change to the spec voids the confirmation: propose or edit, then confirm again.
Run headless, the workflow stops at the form and prints the proposal (the form's input).`,
			}),
		],
		[
			...chain('Start', SETTINGS_NODE, source.reader.name),
			{ from: source.reader.name, to: 'Propose Mapping', output: 1 },
			{ from: 'Propose Mapping', to: 'Confirm unattended?' },
			{ from: 'Confirm unattended?', to: 'Confirm Mapping' },
			{ from: 'Confirm unattended?', to: 'Review the proposed map', output: 1 },
			{ from: 'Review the proposed map', to: 'Approved?' },
			{ from: 'Approved?', to: 'Confirm Mapping' },
		],
	);
}

export function sampleMigration(source: SourceTable): TemplateWorkflow {
	const prepare = prepareMigration(source, 440);
	return workflow(
		`${source.workflowIdPrefix}4SampleMigration`,
		`${source.label} 4 · Sample migration with diff report`,
		[
			manualTrigger([0, 300]),
			migrationSettings(source, [220, 300]),
			...prepare.nodes,
			mapper('Select Sample', [1760, 300], {
				operation: 'selectSample',
				sourceSystem: source.source,
				sampleSize: expression(setting('sampleSize')),
				seed: 'sample',
				// The rule Transform applies, not the settings' leadRecencyMonths (issue 20).
				leadRuleSource: 'spec',
				spec: SPEC,
			}),
			transform([1980, 300]),
			commit([2200, 300], 'sample', expression(setting('runId'))),
			verifyFromSource('Diff Report', [2420, 300], `$('Select Sample').all()`),
			prepare.note,
			stickyNote('Note: sample', [1760, 0], {
				width: 900,
				height: 260,
				color: 4,
				content: `## 4. Sample migration
**Select Sample** picks **sampleSize** patients spanning statuses, appointment histories and plans (the same seed picks the same patients). Point the Pipedrive credential at a **test account**: the journal keeps each account apart. **Commit** writes the plans in dependency order and journals every write in **journalDir** (kept owner-only); a second run writes nothing new. **Diff Report** derives every mapped field's expected value from the export by the confirmed spec's rules (owners from Pipedrive's users by email, never from the owner map the run used), reads every record back and compares, with the export's file, line, column and raw text: its summary item carries \`html\` and \`csv\` files for the practice to review (they hold patient values). A mismatch means: fix the spec in step 3, then run this again (changed records are updated, not duplicated).`,
			}),
		],
		[
			...chain('Start', SETTINGS_NODE, source.reader.name),
			...prepare.edges,
			...chain('Records', 'Select Sample', 'Transform', 'Commit', 'Diff Report'),
		],
	);
}

/**
 * The streamed loop steps 5 and delta share, from `x` on: **Pages** keeps the reader's page
 * items and **Page of bundles** hands them to Transform and Commit one at a time (Commit feeds
 * the loop back). Every page joins the one journal run `runId`; what follows the loop hangs off
 * Page of bundles' first output, reached once every page is done.
 */
function pageLoop(
	x: number,
	kind: 'full' | 'delta',
	runId: string,
): { nodes: NodeDefinition[]; edges: Edge[] } {
	return {
		nodes: [
			kindFilter('Pages', [x, 300], 'page', true),
			{
				name: 'Page of bundles',
				type: 'n8n-nodes-base.splitInBatches',
				typeVersion: 3,
				position: [x + 220, 300],
				parameters: { batchSize: 1, options: {} },
			},
			transform([x + 440, 400]),
			commit([x + 660, 400], kind, runId),
		],
		edges: [
			...chain('Records', 'Pages', 'Page of bundles'),
			{ from: 'Page of bundles', to: 'Transform', output: 1 },
			...chain('Transform', 'Commit', 'Page of bundles'),
		],
	};
}

export function fullMigration(source: SourceTable): TemplateWorkflow {
	const prepare = prepareMigration(source, 440, { streamed: true });
	const loop = pageLoop(1760, 'full', expression(`${setting('runId')} || $execution.id`));
	return workflow(
		`${source.workflowIdPrefix}5FullMigration`,
		`${source.label} 5 · Full migration with audit log`,
		[
			manualTrigger([0, 300]),
			migrationSettings(source, [220, 300]),
			...prepare.nodes,
			...loop.nodes,
			ledger('Reconcile', [2200, 100], {
				operation: 'reconcile',
				runIds: COMMITTED_RUN,
				verifyShare: 1,
				expectedCounts: '{}',
				compareFields: false,
			}),
			ledger('Audit Log', [2420, 100], { operation: 'auditLog', runIds: COMMITTED_RUN }),
			verifyFromSource('Verify from source', [2640, 100], `$('Records').all(0)`),
			prepare.note,
			stickyNote('Note: full', [1760, -200], {
				width: 1100,
				height: 260,
				color: 4,
				content: `## 5. Full migration
**Pages** keeps the reader's page items; **Page of bundles** hands them to Transform and Commit one page (50 patients) at a time, the reference entities with the first page, so practices and insurers land before their patients. Transform writes each page's plans to a file next to the page and Commit outputs one summary per page (counts, tokens, records that did not land), so n8n's items stay small. Every page joins one journal run (**runId**, or this execution's id). Commit stays within the plan's rate limits; when the daily budget is spent it stops cleanly and says when to run again with the same **runId**: nothing is written twice. **Reconcile** counts per object and reads back every record it wrote (lists filtered by ids: a few percent of the migration's tokens); **Audit Log** gives every insert, update and skip as CSV and JSON; **Verify from source** derives every mapped field's expected value from the export (the pages on disk) by the confirmed spec's rules (owners from Pipedrive's users by email) and compares it with what Pipedrive holds, with the export's file, line, column and raw text: its summary carries the \`html\` and \`csv\` diff. Rollback: the rollback template.`,
			}),
		],
		[
			...chain('Start', SETTINGS_NODE, source.reader.name),
			...prepare.edges,
			...loop.edges,
			...chain('Page of bundles', 'Reconcile', 'Audit Log', 'Verify from source'),
		],
	);
}

export function deltaPickup(source: SourceTable): TemplateWorkflow {
	const watermarkName = `${source.source}:patient`;
	const newestChange = `$('${source.reader.name}').all(1)[0].json.newestChange`;
	const watermark = `$('Get Watermark').first().json.value`;
	const prepare = prepareMigration(source, 660, {
		streamed: true,
		modifiedSince: expression(watermark),
	});
	// One journal run per delta, named by the time it reads up to: unique per run and the same
	// for each of its pages (an execution id starts again at 1 on a new n8n, or per CLI process).
	const loop = pageLoop(
		1980,
		'delta',
		expression(`'delta-' + $('Get Watermark').first().json.checkedAt`),
	);
	return workflow(
		`${source.workflowIdPrefix}DeltaPickup`,
		`${source.label} · Delta pickup`,
		[
			manualTrigger([0, 200]),
			{
				name: 'Every hour',
				type: 'n8n-nodes-base.scheduleTrigger',
				typeVersion: 1.2,
				position: [0, 400],
				parameters: { rule: { interval: [{ field: 'hours', hoursInterval: 1 }] } },
			},
			migrationSettings(source, [220, 300]),
			ledger('Get Watermark', [440, 300], {
				operation: 'getWatermark',
				watermarkName,
				initialWatermark: '1970-01-01T00:00:00Z',
			}),
			...prepare.nodes,
			...loop.nodes,
			{
				// Once per run, not once per page summary the finished loop hands on.
				...ledger('Advance Watermark', [2420, 100], {
					operation: 'advanceWatermark',
					watermarkName,
					// To the export's newest change, never to the run's start: an edit made after the
					// export was taken comes with the next export, stamped before this run.
					watermarkValue: expression(
						`new Date(${newestChange} || 0) > new Date(${watermark}) ? ${newestChange} : ${watermark}`,
					),
					runId: COMMITTED_RUN,
					force: false,
				}),
				executeOnce: true,
			},
			stickyNote('Note: delta', [1980, -200], {
				width: 700,
				height: 260,
				color: 4,
				content: `## Delta pickup (cutover)
During the 24–48 h cutover the practice keeps working in ${source.label}. Every hour (activate the workflow) or by hand: **Get Watermark** reads how far the migration got (\`${watermarkName}\`, kept in the journal, not in workflow static data); the reader reads the export once and keeps only the patients with a record modified since then, in pages on disk; **Page of bundles** hands them to **Commit** (kind delta) one page at a time, which updates what changed and creates what is new, never duplicates, all pages in one journal run; **Advance Watermark** moves the watermark to the newest modified time in the export (the validation report's \`newestChange\`; not the time this run started, so an edit made after the export was taken comes with the next export), and refuses when the commit had failures, so failed records are read again next time. Set **confirmedSpecHash** and **today** to what step 3 printed: a cutover spans days, and with **today** empty each day proposes the map for that day, whose hash no longer matches.`,
			}),
		],
		[
			...chain('Start', SETTINGS_NODE),
			...chain('Every hour', SETTINGS_NODE, 'Get Watermark', source.reader.name),
			...prepare.edges,
			...loop.edges,
			{ from: 'Page of bundles', to: 'Advance Watermark' },
		],
	);
}

export function rollback(source: SourceTable): TemplateWorkflow {
	return workflow(
		`${source.workflowIdPrefix}Rollback`,
		`${source.label} · Rollback`,
		[
			manualTrigger([0, 300]),
			migrationSettings(source, [220, 300]),
			ledger('Rollback', [440, 300], {
				operation: 'rollback',
				rollbackScope: expression(`${setting('rollbackScope')} === 'run' ? 'run' : 'migration'`),
				runId: expression(setting('runId')),
				rollbackRunId: '',
				practiceWork: expression(setting('practiceWork')),
			}),
			stickyNote('Note: rollback', [220, 0], {
				width: 640,
				height: 260,
				color: 3,
				content: `## Rollback
**rollbackScope** \`migration\` (default) takes back every sample, full and delta run journaled for the account the credential points at; \`run\` takes back only **runId**. Created records are deleted and updated ones restored from their before-images, children before parents. It is journaled as its own run and resumes where it stopped; it ends by reading every touched record back (\`verification.passed\`). Custom fields created in step 2 stay: remove them in Pipedrive if the migration is abandoned.`,
			}),
		],
		chain('Start', SETTINGS_NODE, 'Rollback'),
	);
}

/**
 * Where a migration spanning days stands, every morning (or by hand): Preflight gives the planned
 * writes, Status the rest from the journal and Pipedrive's daily budget headers.
 */
export function statusReport(source: SourceTable): TemplateWorkflow {
	return workflow(
		`${source.workflowIdPrefix}StatusReport`,
		`${source.label} · Status report`,
		[
			manualTrigger([0, 200]),
			{
				name: 'Every morning',
				type: 'n8n-nodes-base.scheduleTrigger',
				typeVersion: 1.2,
				position: [0, 400],
				parameters: { rule: { interval: [{ field: 'days', triggerAtHour: 7 }] } },
			},
			migrationSettings(source, [220, 300]),
			reader(source, [440, 300]),
			provisioner('Preflight', [680, 300], {
				operation: 'preflight',
				schemaSource: 'defaultSpec',
				sourceSystem: source.source,
				readerItems: readerRecords(source),
				validationReport: readerReport(source),
				leads: 0,
			}),
			ledger('Status', [920, 300], {
				operation: 'status',
				preflight: expression(`$('Preflight').first().json`),
			}),
			stickyNote('Note: status', [440, 0], {
				width: 700,
				height: 260,
				color: 4,
				content: `## Status report
A large practice migrates over several days within Pipedrive's daily token budget. Activate this workflow (every morning at 7) or run it by hand: the reader and **Preflight** count what the migration plans to write; **Status** reads the journal in **journalDir** and today's budget from Pipedrive's headers (one request) and outputs records done and left per object, every run and its outcome, write tokens per day and left today, the day it finishes at this pace and the records that failed, as JSON and as a page (\`html\`) to mail to the practice manager. It writes nothing.`,
			}),
		],
		[
			...chain('Start', SETTINGS_NODE),
			...chain('Every morning', SETTINGS_NODE, source.reader.name, 'Preflight', 'Status'),
		],
	);
}

/** Every template of a source, by file name under workflows/<source>/. */
export const STEPS: Record<string, (source: SourceTable) => TemplateWorkflow> = {
	'1-extract-validate': extractValidate,
	'2-provision-pipedrive': provisionPipedrive,
	'3-propose-mapping': proposeAndConfirm,
	'4-sample-migration': sampleMigration,
	'5-full-migration': fullMigration,
	'delta-pickup': deltaPickup,
	rollback,
	'status-report': statusReport,
};
