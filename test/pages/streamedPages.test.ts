import {
	cpSync,
	mkdtempSync,
	readFileSync,
	readdirSync,
	rmSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { proposeFromExport } from '../../lib/mapping/propose/fromExport';
import { folderSource } from '../../lib/sources';
import { specHash, type MappingSpec } from '../../lib/mapping/spec';
import { readPlanPage } from '../../lib/pages/pages';
import { runWorkflow } from '../../runner/engine';
import { owners, registryFor, TODAY } from '../mapping/helpers';
import { editPatients } from '../../scripts/demo/exportEdits';

/**
 * The reader's Output "Pages on Disk" and Transform on its page items, in the n8n engine: the
 * pages hold exactly the unpaged read's bundles, the report is the unpaged read's, and the plans
 * files hold exactly the plans Transform makes of the unpaged items (references with page 0).
 */
const root = join(__dirname, '..', '..');
const SOURCES = [
	{ source: 'dental-exec', reader: 'Dental-Exec Reader', exportDir: 'samples/dental-exec' },
	{ source: 'dentadmin', reader: 'DentAdmin Reader', exportDir: 'samples/dentadmin/nl' },
] as const;

type Node = { name: string; parameters: Record<string, unknown> & { options?: object } };
type Workflow = { nodes: Node[]; connections: Record<string, { main: object[][] }> };

let work: string;
beforeEach(() => (work = mkdtempSync(join(tmpdir(), 'streamed-pages-'))));
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** The spec Propose makes for the sample (its referral options come from the export). */
async function proposedSpec(source: (typeof SOURCES)[number]): Promise<MappingSpec> {
	const dir = join(root, source.exportDir);
	return (await proposeFromExport(source.source, folderSource(dir), { today: TODAY })).spec;
}

/** Template 1 with Transform on the reader's records; `pages` switches the reader to pages. */
function readAndTransform(
	source: (typeof SOURCES)[number],
	spec: MappingSpec,
	pages?: { workDir: string; pageSize: number },
): Workflow {
	const file = join(root, 'workflows', source.source, '1-extract-validate.json');
	const workflow = JSON.parse(readFileSync(file, 'utf8')) as Workflow;
	const reader = workflow.nodes.find((node) => node.name === source.reader) as Node;
	if (pages)
		reader.parameters.options = { ...reader.parameters.options, output: 'pages', ...pages };
	workflow.nodes.push({
		id: 'test-transform',
		name: 'Transform',
		type: 'n8n-nodes-dental-pipedrive.migrationMapper',
		typeVersion: 1,
		position: [1000, 0],
		parameters: {
			operation: 'transform',
			spec: JSON.stringify(spec),
			confirmedSpecHash: specHash(spec),
			registry: JSON.stringify(registryFor(spec)),
			owners: JSON.stringify(owners),
			pseudonymKey: '',
		},
	} as Node);
	workflow.connections[source.reader].main[0].push({ node: 'Transform', type: 'main', index: 0 });
	return workflow;
}

describe.each(SOURCES)('$source reader, Output: Pages on Disk', (source) => {
	it('one item per page, the unpaged bundles and report; Transform writes each page’s plans to a file', async () => {
		const spec = await proposedSpec(source);
		const settings = { exportDir: join(root, source.exportDir) };
		const unpaged = await runWorkflow(readAndTransform(source, spec), { settings });
		const workDir = join(work, 'work');
		const paged = await runWorkflow(readAndTransform(source, spec, { workDir, pageSize: 7 }), {
			settings,
		});
		expect(unpaged.error).toBeUndefined();
		expect(paged.error).toBeUndefined();

		const report = unpaged.output(source.reader, 1)[0] as { totals: { patients: number } };
		expect(paged.output(source.reader, 1)).toEqual([report]);
		const records = unpaged.output(source.reader);
		const references = records.filter((item) => item.kind !== 'patientBundle');
		const bundles = records.filter((item) => item.kind === 'patientBundle');
		const pageItems = paged.output(source.reader).filter((item) => item.kind === 'page');
		expect(paged.output(source.reader).filter((item) => item.kind !== 'page')).toEqual(references);
		const dir = join(workDir, 'pages');
		const pageCount = Math.ceil(report.totals.patients / 7);
		expect(pageItems).toEqual(
			Array.from({ length: pageCount }, (_, page) => ({
				kind: 'page',
				dir,
				page,
				bundles: page < pageCount - 1 ? 7 : report.totals.patients - 7 * (pageCount - 1),
				references: page === 0 ? references.length : 0,
			})),
		);

		// Transform: one item per page, its plans in a file; all files = the unpaged plans, in order.
		const planPages = paged.output('Transform').filter((item) => item.kind === 'planPage');
		expect(planPages.map((item) => item.page)).toEqual(pageItems.map((item) => item.page));
		const filePlans = planPages.flatMap((item) => readPlanPage(item.file as string));
		expect(filePlans).toEqual(unpaged.output('Transform'));
		expect(planPages.reduce((sum, item) => sum + (item.plans as number), 0)).toBe(filePlans.length);
		expect(bundles).toHaveLength(report.totals.patients);

		// Patient values on disk: the folder and every file owner-only.
		expect(statSync(dir).mode & 0o777).toBe(0o700);
		for (const name of readdirSync(dir)) expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
	});
});

it('a second streamed read empties the pages folder first: nothing of the earlier export is left', async () => {
	const [source] = SOURCES;
	const spec = await proposedSpec(source);
	const workDir = join(work, 'work');
	const stale = join(workDir, 'pages', 'plans-000999.ndjson');
	const settings = { exportDir: join(root, source.exportDir) };
	await runWorkflow(readAndTransform(source, spec, { workDir, pageSize: 50 }), { settings });
	writeFileSync(stale, 'left by another export\n');
	const again = await runWorkflow(readAndTransform(source, spec, { workDir, pageSize: 50 }), {
		settings,
	});
	expect(again.error).toBeUndefined();
	expect(readdirSync(join(workDir, 'pages')).sort()).toEqual([
		'page-000000.ndjson',
		'page-000001.ndjson',
		'page-000002.ndjson',
		'page-000003.ndjson',
		'page-000004.ndjson',
		'plans-000000.ndjson',
		'plans-000001.ndjson',
		'plans-000002.ndjson',
		'plans-000003.ndjson',
		'plans-000004.ndjson',
		'references.ndjson',
	]);
});

/** Later than every record of the sample, earlier than the edits (stamped a day ahead). */
const TODAY_START = new Date().toISOString();

it('a modified-since streamed read hands on page 0 (the references) and only the pages that kept a bundle', async () => {
	const [source] = SOURCES;
	const spec = await proposedSpec(source);
	const exportDir = join(work, 'export');
	cpSync(join(root, source.exportDir), exportDir, { recursive: true });
	// The first 3 patients with an email (page 0 of 50) and a newcomer after the last row (page 4).
	const modifiedAt = new Date(Date.now() + 24 * 60 * 60 * 1000);
	const { changedIds, newId } = editPatients(exportDir, source.source, {
		changed: 3,
		modifiedAt,
		newPatient: true,
	});
	const since = (workflow: Workflow) => {
		const reader = workflow.nodes.find((node) => node.name === source.reader) as Node;
		reader.parameters.options = { ...reader.parameters.options, modifiedSince: TODAY_START };
		return workflow;
	};
	const settings = { exportDir };
	const unpaged = await runWorkflow(since(readAndTransform(source, spec)), { settings });
	const workDir = join(work, 'work');
	const paged = await runWorkflow(
		since(readAndTransform(source, spec, { workDir, pageSize: 50 })),
		{
			settings,
		},
	);
	expect(paged.error).toBeUndefined();
	const pageItems = paged.output(source.reader).filter((item) => item.kind === 'page');
	expect(pageItems.map(({ page, bundles }) => ({ page, bundles }))).toEqual([
		{ page: 0, bundles: 3 },
		{ page: 4, bundles: 1 },
	]);
	const ids = unpaged
		.output(source.reader)
		.filter((item) => item.kind === 'patientBundle')
		.map((item) => (item.patient as { sourceId: string }).sourceId);
	expect(ids.sort()).toEqual([...changedIds, newId].sort());
	const planPages = paged.output('Transform').filter((item) => item.kind === 'planPage');
	expect(planPages.flatMap((item) => readPlanPage(item.file as string))).toEqual(
		unpaged.output('Transform'),
	);
});
