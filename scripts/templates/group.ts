import {
	commit,
	ifNode,
	expression,
	kindFilter,
	ledger,
	manualTrigger,
	mapper,
	matchUsers,
	migrationSettings,
	proposeMapping,
	provisionSchema,
	reader,
	setting,
	specToMigrate,
	SETTINGS_NODE,
	stickyNote,
	transform,
} from './nodes';
import type { SourceTable } from './sources';
import { stableId, workflow, type NodeDefinition, type TemplateWorkflow } from './workflow';

/**
 * A dental group's migration in n8n queue mode: a coordinator and a page workflow.
 *
 * What distributes: in queue mode every execution that does not start by hand goes to the
 * Redis queue and any free worker takes it (n8n's WorkflowRunner enqueues unless the mode is
 * `manual`); an Execute Workflow (sub-workflow) call does NOT, it runs inline in the calling
 * worker. So each page is a production webhook call: the main receives it, enqueues it as its own
 * execution, a worker runs it, and the main answers the coordinator's HTTP request with the
 * page's result when the worker is done (Respond: When Last Node Finishes).
 */

const PAGE_WEBHOOK = 'Page';
const PAGE_SETTINGS = 'Group settings';
/** One field of the page request's body. */
const body = (name: string) => `$('${PAGE_WEBHOOK}').first().json.body.${name}`;
const group = (name: string) => `$('${PAGE_SETTINGS}').first().json.${name}`;

const JOURNAL_CREDENTIALS = {
	migrationJournalPostgres: { name: 'Migration journal (PostgreSQL)' },
};

/** The page webhook's path; the coordinator's pageWebhookUrl ends with it. */
export function pagePath(source: SourceTable): string {
	return `${source.source}-group-page`;
}

/** Ledger nodes of the group share the PostgreSQL journal: every worker must see one journal. */
export function onPostgresJournal<N extends NodeDefinition>(node: N): N {
	return {
		...node,
		parameters: { ...node.parameters, journal: 'postgres', journalDir: '' },
		credentials: { ...node.credentials, ...JOURNAL_CREDENTIALS },
	};
}

/** Keeps the items whose `kind` is (or is not) a patient bundle. */
/** Set node fields, each an expression, with ids from the node name. */
function setFields(
	name: string,
	position: [number, number],
	fields: Array<[string, 'string' | 'number' | 'array' | 'object', string]>,
	executeOnce = false,
): NodeDefinition {
	return {
		name,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position,
		...(executeOnce ? { executeOnce: true } : {}),
		parameters: {
			assignments: {
				assignments: fields.map(([field, type, value]) => ({
					id: stableId(name, field),
					name: field,
					value,
					type,
				})),
			},
			options: {},
		},
	} as NodeDefinition;
}

/**
 * The hash Transform and Commit accept (as in steps 4 and 5). Parenthesised: it is spliced into
 * larger expressions, and a bare ternary there swallowed what followed it (`a ? b : c + ':' + keys`
 * gave every page the same run id, so no re-run ever found a page done).
 */
const CONFIRMED_HASH = `(${setting('confirmUnattended')} === true ? $('Spec to migrate').first().json.specHash : ${setting('confirmedSpecHash')})`;

export function groupCoordinator(source: SourceTable): TemplateWorkflow {
	const settings = migrationSettings(source, [220, 300]);
	const base = settings.parameters.assignments as { assignments: Array<Record<string, unknown>> };
	const groupValues: Array<[string, string | number]> = [
		['pageSize', 100],
		['pageWebhookUrl', `http://localhost:5678/webhook/${pagePath(source)}`],
		['pagesAtOnce', 8],
	];
	const groupSettings: NodeDefinition = {
		...settings,
		parameters: {
			...settings.parameters,
			assignments: {
				assignments: [
					...base.assignments,
					...groupValues.map(([name, value]) => ({
						id: stableId(source.source, SETTINGS_NODE, name),
						name,
						value,
						type: typeof value,
					})),
				],
			},
		},
	};
	const patients = "$('Records').all(0).filter(i => i.json.kind === 'patientBundle')";
	// Page run ids are stable (the confirmed spec hash and the page's patients), so a re-run knows
	// a page from the journal. Done means completed with nothing failed AND nothing held back
	// (skipped: another worker was writing a shared record): counting "completed" alone once lost
	// 524 of 2,000 patients in real queue mode. "Nothing" is each record's latest entry in the run
	// (unfinished): a re-posted page keeps its run id, and its old failures stay in the journal.
	const doneRunIds = `$('Journal runs').first().json.runs.filter(r => r.status === 'completed' && (r.unfinished ?? r.failed + r.skipped) === 0).map(r => r.id)`;
	const posted = `($('Run page').isExecuted ? $('Run page').all() : [])`;
	const pageDone = (json: string) =>
		`${json}.status === 'completed' && (${json}.totals?.failed ?? 1) === 0 && (${json}.totals?.skipped ?? 1) === 0`;
	return workflow(
		`${source.workflowIdPrefix}GroupCoordinator`,
		`${source.label} · Group migration (queue mode): coordinator`,
		[
			manualTrigger([0, 300]),
			groupSettings,
			reader(source, [440, 300]),
			proposeMapping(source, [660, 400]),
			specToMigrate([880, 400]),
			provisionSchema(source, [1100, 400], 'input'),
			matchUsers(source, [1320, 400], 'spec'),
			reader(source, [1540, 300], { name: 'Records' }),
			kindFilter('Reference entities', [1760, 300], 'patientBundle', false),
			transform([1980, 300]),
			onPostgresJournal(commit([2200, 300], 'full', expression(setting('runId')))),
			setFields(
				'Pages',
				[2420, 300],
				[
					[
						'pages',
						'array',
						expression(
							`${patients}.map(i => i.json.bundleKey).reduce((pages, key, index) => { const page = Math.floor(index / ${setting('pageSize')}); (pages[page] = pages[page] ?? []).push(key); return pages; }, []).map((keys, page) => ({ page, offset: page * ${setting('pageSize')}, limit: ${setting('pageSize')}, runId: 'page-' + (${CONFIRMED_HASH} + ':' + keys.join(',')).hash('sha256').slice(0, 24) }))`,
						),
					],
				],
				true,
			),
			onPostgresJournal(
				ledger('Journal runs', [2640, 300], { operation: 'status', preflight: '{}' }),
			),
			setFields(
				'Pages to post',
				[2860, 300],
				[
					[
						'pagesToPost',
						'array',
						expression(
							`$('Pages').first().json.pages.filter(p => !${doneRunIds}.includes(p.runId))`,
						),
					],
					[
						'pagesSkipped',
						'number',
						expression(
							`$('Pages').first().json.pages.filter(p => ${doneRunIds}.includes(p.runId)).length`,
						),
					],
				],
				true,
			),
			ifNode(
				'Any page to run?',
				[3080, 300],
				{
					leftValue: expression(`$json.pagesToPost.length > 0`),
					rightValue: '',
					operator: { type: 'boolean', operation: 'true', singleValue: true },
				},
				stableId(source.source, 'Any page to run?'),
			),
			{
				name: 'Split pages',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [3300, 200],
				parameters: { fieldToSplitOut: 'pagesToPost', options: {} },
			},
			{
				name: 'Run page',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [3520, 200],
				onError: 'continueRegularOutput',
				parameters: {
					method: 'POST',
					url: expression(setting('pageWebhookUrl')),
					sendBody: true,
					specifyBody: 'json',
					jsonBody: expression(
						`JSON.stringify({ page: $json.page, offset: $json.offset, limit: $json.limit, exportDir: ${setting('exportDir')}, timeZone: ${setting('timeZone')}, currency: ${setting('currency')}, conflictPolicy: ${setting('conflictPolicy')}, runId: $json.runId, spec: $('Spec to migrate').first().json.spec, confirmedSpecHash: ${CONFIRMED_HASH}, registry: $('Provision Schema').first().json.registry, ownerMap: $('Match Users').first().json.ownerMap })`,
					),
					options: {
						batching: {
							batch: { batchSize: expression(setting('pagesAtOnce')), batchInterval: 0 },
						},
						response: { response: { neverError: true } },
						timeout: 3_600_000,
					},
				},
			} as NodeDefinition,
			setFields(
				'Group report',
				[3740, 300],
				[
					['pages', 'number', expression(`$('Pages').first().json.pages.length`)],
					['pagesSkipped', 'number', expression(`$('Pages to post').first().json.pagesSkipped`)],
					['pagesPosted', 'number', expression(`${posted}.length`)],
					[
						'pagesCompleted',
						'number',
						expression(
							`$('Pages to post').first().json.pagesSkipped + ${posted}.filter(i => ${pageDone('i.json')}).length`,
						),
					],
					[
						'pagesToRunAgain',
						'array',
						expression(
							`${posted}.map((item, index) => ({ item, page: $('Split pages').all()[index].json.page })).filter(p => !(${pageDone('p.item.json')})).map(p => p.page)`,
						),
					],
					[
						'created',
						'number',
						expression(`${posted}.reduce((sum, i) => sum + (i.json.totals?.created ?? 0), 0)`),
					],
					[
						'failed',
						'number',
						expression(`${posted}.reduce((sum, i) => sum + (i.json.totals?.failed ?? 0), 0)`),
					],
					['referenceRun', 'string', expression(`$('Commit').last().json.runId`)],
				],
				true,
			),
			stickyNote('Note: group', [220, -360], {
				width: 1400,
				height: 320,
				color: 4,
				content: `## Group migration in n8n queue mode
For a group whose export holds several practices (or one large export), with n8n in queue mode (main + workers, Redis, PostgreSQL). **Publish the page workflow first** (${source.label} · Group migration: page): its webhook is how pages reach the workers — the main enqueues each call as its own execution and any free worker runs it (a sub-workflow call would run inline on this worker instead). Set **pageWebhookUrl** to the main's production URL of that webhook.
This coordinator validates the export, provisions the schema and matches users once, commits the **reference entities** (practices, providers, insurers) once, then sends every page (**pageSize** patients) to the page webhook, **pagesAtOnce** at a time, and waits for each page's result. **Group report** counts completed pages and lists the ones to run again: run this coordinator again (same settings) and what is already in the journal is skipped, only what is missing is written. A page is known by the map's hash and its patients: with **confirmUnattended**, set **today** before the first run, or a re-run on another day proposes another map and runs every page again (nothing is duplicated, but nothing is skipped either).
Both credentials in every Ledger node: the **Migration Journal Postgres** credential (one journal for all workers) and a Pipedrive credential with **Shared Rate Budget** set, so all workers share one burst window and one daily budget. The export folder (with its documents) must be at the same path on every worker.`,
			}),
		],
		[
			{ from: 'Start', to: SETTINGS_NODE },
			{ from: SETTINGS_NODE, to: source.reader.name },
			{ from: source.reader.name, to: 'Propose Mapping', output: 1 },
			{ from: 'Propose Mapping', to: 'Spec to migrate' },
			{ from: 'Spec to migrate', to: 'Provision Schema' },
			{ from: 'Provision Schema', to: 'Match Users' },
			{ from: 'Match Users', to: 'Records' },
			{ from: 'Records', to: 'Reference entities' },
			{ from: 'Reference entities', to: 'Transform' },
			{ from: 'Transform', to: 'Commit' },
			{ from: 'Commit', to: 'Pages' },
			{ from: 'Pages', to: 'Journal runs' },
			{ from: 'Journal runs', to: 'Pages to post' },
			{ from: 'Pages to post', to: 'Any page to run?' },
			{ from: 'Any page to run?', to: 'Split pages' },
			{ from: 'Any page to run?', to: 'Group report', output: 1 },
			{ from: 'Split pages', to: 'Run page' },
			{ from: 'Run page', to: 'Group report' },
		],
	);
}

export function groupPage(source: SourceTable): TemplateWorkflow {
	const id = `${source.workflowIdPrefix}GroupPage`;
	const pageReader = reader(source, [440, 300], { name: 'Records' });
	const readerOptions = pageReader.parameters.options as Record<string, unknown>;
	return workflow(
		id,
		`${source.label} · Group migration (queue mode): page`,
		[
			{
				name: PAGE_WEBHOOK,
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 300],
				webhookId: stableId(id, PAGE_WEBHOOK),
				parameters: {
					httpMethod: 'POST',
					path: pagePath(source),
					responseMode: 'lastNode',
					responseData: 'firstEntryJson',
					options: {},
				},
			} as NodeDefinition,
			setFields(
				PAGE_SETTINGS,
				[220, 300],
				[
					['exportDir', 'string', expression(body('exportDir'))],
					['timeZone', 'string', expression(body('timeZone'))],
					['currency', 'string', expression(body('currency'))],
				],
				true,
			),
			{
				...pageReader,
				parameters: {
					...pageReader.parameters,
					folderPath: expression(group('exportDir')),
					options: {
						...readerOptions,
						timeZone: expression(group('timeZone')),
						currency: expression(group('currency')),
						pageOffset: expression(body('offset')),
						pageLimit: expression(body('limit')),
					},
				},
			},
			kindFilter('Patients of this page', [660, 300], 'patientBundle', true),
			mapper('Transform', [880, 300], {
				operation: 'transform',
				spec: expression(body('spec')),
				confirmedSpecHash: expression(body('confirmedSpecHash')),
				registry: expression(body('registry')),
				owners: expression(body('ownerMap')),
				pseudonymKey: '',
			}),
			onPostgresJournal(
				ledger('Commit', [1100, 300], {
					operation: 'commit',
					registry: expression(body('registry')),
					confirmedSpecHash: expression(body('confirmedSpecHash')),
					runKind: 'full',
					runId: expression(body('runId')),
					conflictPolicy: expression(body('conflictPolicy')),
				}),
			),
			setFields(
				'Page result',
				[1320, 300],
				[
					['page', 'number', expression(body('page'))],
					['status', 'string', expression(`$('Commit').last().json.status`)],
					['runId', 'string', expression(`$('Commit').last().json.runId`)],
					['totals', 'object', expression(`$('Commit').last().json.totals`)],
					['message', 'string', expression(`$('Commit').last().json.message ?? ''`)],
					// Why records were left failed or held back, counted by object and error code
					// (never a record value): what the coordinator's re-run will meet again.
					[
						'problems',
						'object',
						expression(
							`$('Commit').all().flatMap(i => [...(i.json.failed ?? []), ...(i.json.heldBack ?? [])]).reduce((counts, p) => ({ ...counts, [p.object + ' ' + p.errorCode]: (counts[p.object + ' ' + p.errorCode] ?? 0) + 1 }), {})`,
						),
					],
				],
				true,
			),
			stickyNote('Note: page', [0, -300], {
				width: 1300,
				height: 260,
				color: 4,
				content: `## One page of a group migration
Called by the coordinator (never by hand): **Page** is a production webhook, so in queue mode each call is its own execution that any free worker runs. The body names the export folder, the page (offset, limit), the confirmed spec and its hash, the field registry, the owners and the journal run. **Records** reads only this page of patients from the export folder, which must be at the same path on every worker (n8n's filesystem binary mode is not available in queue mode; documents are read from that folder at commit time). **Commit** writes into the PostgreSQL journal: a page run again writes only what is missing. **Page result** is the webhook's answer.`,
			}),
		],
		[
			{ from: PAGE_WEBHOOK, to: PAGE_SETTINGS },
			{ from: PAGE_SETTINGS, to: 'Records' },
			{ from: 'Records', to: 'Patients of this page' },
			{ from: 'Patients of this page', to: 'Transform' },
			{ from: 'Transform', to: 'Commit' },
			{ from: 'Commit', to: 'Page result' },
		],
	);
}

/** The group templates, by file name under workflows/<source>/. */
export const GROUP_STEPS: Record<string, (source: SourceTable) => TemplateWorkflow> = {
	'group-coordinator': groupCoordinator,
	'group-page': groupPage,
};
