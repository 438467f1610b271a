import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { runWorkflow } from '../../runner/engine';

/**
 * Issue 15: the group coordinator's re-run posts only the pages the journal does not know as done.
 * The coordinator's own "Pages" and "Pages to post" nodes (from the generated template) run in
 * process behind stand-ins for what feeds them: settings, the confirmed spec, the reader's records,
 * Commit and the journal's runs after a first run in which one page failed.
 */

type Json = Record<string, unknown>;
const root = join(__dirname, '..', '..');
const coordinator = JSON.parse(
	readFileSync(join(root, 'workflows', 'dental-exec', 'group-coordinator.json'), 'utf8'),
) as { nodes: Json[] };
const templateNode = (name: string) => {
	const node = coordinator.nodes.find((n) => n.name === name);
	if (!node) throw new Error(`no node ${name} in the coordinator`);
	return node;
};

const SPEC_HASH = 'spec-hash-of-the-test';
const PAGE_SIZE = 2;
/** Five patients (three pages of two) and one practice, as the reader gives them. */
const RECORDS = [
	{ kind: 'practice', bundleKey: 'practice:1' },
	...['p1', 'p2', 'p3', 'p4', 'p5'].map((key) => ({ kind: 'patientBundle', bundleKey: key })),
];
/** The page run ids as the issue defines them, computed here, not by the template. */
const expectedRunId = (keys: string[]) =>
	'page-' +
	createHash('sha256')
		.update(`${SPEC_HASH}:${keys.join(',')}`)
		.digest('hex')
		.slice(0, 24);
const PAGE_KEYS = [['p1', 'p2'], ['p3', 'p4'], ['p5']];

const set = (
	name: string,
	fields: Array<[string, string, unknown]>,
	executeOnce = false,
): Json => ({
	name,
	type: 'n8n-nodes-base.set',
	typeVersion: 3.4,
	position: [0, 0],
	...(executeOnce ? { executeOnce: true } : {}),
	parameters: {
		assignments: {
			assignments: fields.map(([field, type, value], index) => ({
				id: `${name}-${index}`,
				name: field,
				type,
				value,
			})),
		},
		options: {},
	},
});

/** The coordinator's page nodes behind stand-ins; `runs` is what Journal runs reads. */
function rerunWorkflow(runs: Json[]) {
	const chain: Json[] = [
		{
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		set('Migration settings', [
			['pageSize', 'number', PAGE_SIZE],
			['confirmUnattended', 'boolean', true],
			['confirmedSpecHash', 'string', ''],
		]),
		set('Spec to migrate', [['specHash', 'string', SPEC_HASH]]),
		set('Record list', [['records', 'array', JSON.stringify(RECORDS)]]),
		{
			name: 'Records',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [0, 0],
			parameters: { fieldToSplitOut: 'records', options: {} },
		},
		set('Commit', [['runId', 'string', 'reference-run']], true),
		templateNode('Pages'),
		set('Journal runs', [['runs', 'array', JSON.stringify(runs)]], true),
		templateNode('Pages to post'),
	];
	const connections: Record<string, unknown> = {};
	chain.slice(1).forEach((node, index) => {
		connections[chain[index].name as string] = {
			main: [[{ node: node.name, type: 'main', index: 0 }]],
		};
	});
	return { name: 'group re-run', nodes: chain, connections, settings: {} };
}

const run = (id: string, status: string, failed: number, skipped: number): Json => ({
	id,
	kind: 'full',
	status,
	stopReason: null,
	startedAt: '2026-12-02T10:00:00.000Z',
	endedAt: '2026-12-02T10:05:00.000Z',
	created: 2,
	updated: 0,
	failed,
	skipped,
	deleted: 0,
});

describe('group coordinator re-run (issue 15)', () => {
	it('gives every page its own stable run id: the spec hash and the page’s patient keys', async () => {
		const result = await runWorkflow(rerunWorkflow([]));
		expect(result.status).toBe('success');
		const [pages] = result.output('Pages');
		expect(pages.pages).toEqual(
			PAGE_KEYS.map((keys, page) => ({
				page,
				offset: page * PAGE_SIZE,
				limit: PAGE_SIZE,
				runId: expectedRunId(keys),
			})),
		);
	});

	it('posts only the page run 1 left unfinished', async () => {
		// Run 1: pages 0 and 2 completed cleanly; page 1 completed with a failed record.
		const result = await runWorkflow(
			rerunWorkflow([
				run('reference-run', 'completed', 0, 0),
				run(expectedRunId(PAGE_KEYS[0]), 'completed', 0, 0),
				run(expectedRunId(PAGE_KEYS[1]), 'completed', 1, 0),
				run(expectedRunId(PAGE_KEYS[2]), 'completed', 0, 0),
			]),
		);
		expect(result.status).toBe('success');
		const [toPost] = result.output('Pages to post');
		expect(toPost.pagesSkipped).toBe(2);
		expect((toPost.pagesToPost as Json[]).map((p) => p.page)).toEqual([1]);
	});

	it('counts a re-posted page done once its records finished, whatever it failed before', async () => {
		// The journal keeps page 0's failed attempt (failed 1) but its record's latest entry is done.
		const result = await runWorkflow(
			rerunWorkflow([
				{ ...run(expectedRunId(PAGE_KEYS[0]), 'completed', 1, 0), unfinished: 0 },
				{ ...run(expectedRunId(PAGE_KEYS[1]), 'completed', 0, 0), unfinished: 0 },
				{ ...run(expectedRunId(PAGE_KEYS[2]), 'completed', 1, 0), unfinished: 1 },
			]),
		);
		const [toPost] = result.output('Pages to post');
		expect(toPost.pagesSkipped).toBe(2);
		expect((toPost.pagesToPost as Json[]).map((p) => p.page)).toEqual([2]);
	});

	it('re-posts pages whose run held records back or never finished', async () => {
		const result = await runWorkflow(
			rerunWorkflow([
				run(expectedRunId(PAGE_KEYS[0]), 'completed', 0, 3),
				run(expectedRunId(PAGE_KEYS[1]), 'running', 0, 0),
				run(expectedRunId(PAGE_KEYS[2]), 'completed', 0, 0),
			]),
		);
		const [toPost] = result.output('Pages to post');
		expect(toPost.pagesSkipped).toBe(1);
		expect((toPost.pagesToPost as Json[]).map((p) => p.page)).toEqual([0, 1]);
	});
});

/**
 * The page run ids carry the map's hash, and the map carries its date (rules.today). An unattended
 * coordinator run 1 before midnight UTC and run 2 after it proposed two maps, so run 2 knew none
 * of run 1's pages (CI, test:queue). The coordinator's own settings, proposal and Spec to migrate
 * run here on two faked days.
 */
describe('group coordinator map across days', () => {
	const mapWorkflow = () => {
		const chain = [
			{
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			templateNode('Migration settings'),
			templateNode('Propose Mapping'),
			templateNode('Spec to migrate'),
		];
		const connections: Record<string, unknown> = {};
		chain.slice(1).forEach((node, index) => {
			connections[chain[index].name as string] = {
				main: [[{ node: node.name, type: 'main', index: 0 }]],
			};
		});
		return { name: 'group map', nodes: chain as Json[], connections, settings: {} };
	};
	/** Only Date is faked: the engine's timers run as usual. */
	const onDay = async (now: string, today: string) => {
		jest.useFakeTimers({
			now: new Date(now),
			doNotFake: [
				'hrtime',
				'nextTick',
				'performance',
				'queueMicrotask',
				'setImmediate',
				'clearImmediate',
				'setInterval',
				'clearInterval',
				'setTimeout',
				'clearTimeout',
			],
		});
		try {
			const result = await runWorkflow(mapWorkflow(), {
				settings: { exportDir: join(root, 'samples', 'dental-exec'), today },
			});
			expect(result.status).toBe('success');
			const [spec] = result.output('Spec to migrate');
			return {
				hash: spec.specHash as string,
				today: (spec.spec as { rules: { today: string } }).rules.today,
			};
		} finally {
			jest.useRealTimers();
		}
	};
	const BEFORE_MIDNIGHT = '2026-12-04T23:58:00.000Z';
	const AFTER_MIDNIGHT = '2026-12-05T00:03:00.000Z';

	it('proposes the same map on both days when today is set', async () => {
		const run1 = await onDay(BEFORE_MIDNIGHT, '2026-12-04');
		const run2 = await onDay(AFTER_MIDNIGHT, '2026-12-04');
		expect([run1.today, run2.today]).toEqual(['2026-12-04', '2026-12-04']);
		expect(run2.hash).toBe(run1.hash);
	});

	it('without it, dates the map by the day of the run (another hash the next day)', async () => {
		const run1 = await onDay(BEFORE_MIDNIGHT, '');
		const run2 = await onDay(AFTER_MIDNIGHT, '');
		expect([run1.today, run2.today]).toEqual(['2026-12-04', '2026-12-05']);
		expect(run2.hash).not.toBe(run1.hash);
	});
});
