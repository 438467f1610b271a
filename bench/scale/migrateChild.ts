/**
 * bench:scale's migration-path child (bench/scale.bench.ts runs it): its own module, importing
 * only the library, so it runs both under tsx and as compiled JavaScript with plain node (as
 * n8n runs the package), and its peak RSS is the path's, not the bench's other imports'.
 *
 *   <runtime> migrateChild <export folder> <sandbox url> <api token> <company id> <admin token>
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { commitPlans } from '../../lib/ledger/commit';
import { FileJournalStore } from '../../lib/ledger/store/fileJournalStore';
import { proposeFromExport } from '../../lib/mapping/propose/fromExport';
import { specHash } from '../../lib/mapping/spec';
import { createTransformer } from '../../lib/mapping/transform';
import type { PatientBundle } from '../../lib/model/bundle';
import type { ReferenceEntity } from '../../lib/model/reference';
import { PipedriveClient } from '../../lib/pipedrive/client';
import { provisionSchema } from '../../lib/pipedrive/provision';
import { RateLimiter } from '../../lib/pipedrive/rateLimiter';
import { matchProvidersToUsers, providersFromReaderItems } from '../../lib/pipedrive/users';
import { PIPEDRIVE_OBJECTS, type PipedriveObject } from '../../lib/plan/plan';
import { planBill } from '../../lib/preflight/bill';
import { tokensSpent, type TokenTally } from '../../lib/preflight/spent';
import { readSpoolPage, sourceReaders } from '../../lib/sources';
import { folderSource } from '../../lib/sources/common';
import { FetchTransport } from '../../lib/transport/fetchTransport';
import type { HttpTransport } from '../../lib/transport/transport';

const SEATS = 3;

export async function cpuSeconds(work: () => Promise<unknown>): Promise<number> {
	const before = process.cpuUsage();
	await work();
	const used = process.cpuUsage(before);
	return (used.user + used.system) / 1e6;
}

/** Step 5's page of 50 items; 1,000 patients (and the references) committed at every size. */
export const PAGE_SIZE = 50;
const COMMIT_PATIENTS = 1000;
/**
 * V8 grows its heap lazily far past what is live (uncapped, a streamed read of 10k patients peaks
 * near 230 MB RSS with ~20 MB live after a full GC, 100k near 600 MB); the cap makes the figure
 * the path's own: a path whose live memory outgrew it would fail here (160 MB did at 100k).
 */
export const MIGRATE_HEAP_MB = 256;

/**
 * Child: the streamed migration path into a sandbox the parent runs (so its memory is not
 * counted here): one streamed read of the whole export into a spool, setup (proposal, schema,
 * owners), then page by page read back, transformed and committed, up to COMMIT_PAGES pages.
 */
export async function migrateChild(
	folder: string,
	baseUrl: string,
	apiToken: string,
	companyId: number,
	adminToken: string,
): Promise<void> {
	const work = mkdtempSync(join(tmpdir(), 'bench-migrate-'));
	try {
		const spoolDir = join(work, 'spool');
		let read: Awaited<ReturnType<(typeof sourceReaders)['dental-exec']>> | undefined;
		const readCpu = await cpuSeconds(async () => {
			read = await sourceReaders['dental-exec'](folderSource(folder), {
				spool: { dir: spoolDir, pageSize: PAGE_SIZE },
			});
		});
		const { references, report, spool } = read as NonNullable<typeof read>;
		const lost: Record<string, number> = {};
		const limiter = new RateLimiter({
			plan: 'premium',
			seats: SEATS,
			burstLimit: 100_000,
			dailyBudget: 1e12,
		});
		const client = new PipedriveClient(
			// An answer slow on a loaded machine is not lost: no recovery reads billed to the load.
			noAnswerCounter(new FetchTransport({ baseUrl, apiToken, timeoutMs: 600_000 }), lost),
			{ limiter },
		);
		const store = FileJournalStore.open(join(work, 'journal'), companyId);
		let committed = 0;
		let written = 0;
		try {
			const setupStart = process.cpuUsage();
			const { spec } = await proposeFromExport('dental-exec', folderSource(folder), {
				today: '2026-11-01',
				report,
			});
			const hash = specHash(spec);
			const { registry } = await provisionSchema(client, spec.schema, { plan: 'premium' });
			const providers = providersFromReaderItems(
				references.filter((entity) => entity.kind === 'provider') as never,
			);
			const { ownerMap } = await matchProvidersToUsers(client, providers);
			const setup = process.cpuUsage(setupStart);
			const setupCpu = (setup.user + setup.system) / 1e6;
			const transformer = createTransformer({
				spec,
				confirmedSpecHash: hash,
				registry,
				owners: ownerMap,
			});
			const options = {
				store,
				client,
				registry,
				confirmedSpecHash: hash,
				kind: 'full' as const,
				runId: 'bench',
			};
			// The full-migration template's items: references, then bundles, in pages of PAGE_SIZE
			// items (Commit runs once per page), up to COMMIT_PATIENTS bundles.
			const committedItems: Array<PatientBundle | ReferenceEntity> = [...references];
			const spoolPages = spool?.bundles.length ?? 0;
			for (let page = 0; page < spoolPages && committed < COMMIT_PATIENTS; page += 1) {
				const bundles = readSpoolPage(spoolDir, page).slice(0, COMMIT_PATIENTS - committed);
				committed += bundles.length;
				committedItems.push(...bundles);
			}
			const tokensBefore = await sandboxTokens(baseUrl, adminToken);
			const commitCpu = await cpuSeconds(async () => {
				for (let start = 0; start < committedItems.length; start += PAGE_SIZE) {
					const page = committedItems.slice(start, start + PAGE_SIZE);
					const plans = [
						...transformer.referenceEntities(
							page.filter((item): item is ReferenceEntity => item.kind !== 'patientBundle'),
						),
						...page
							.filter((item): item is PatientBundle => item.kind === 'patientBundle')
							.map((bundle) => transformer.bundle(bundle)),
					];
					const result = await commitPlans(plans, options);
					if (result.status !== 'completed') throw new Error(`commit ${result.status}`);
					written += result.totals.created;
				}
			});
			const actual = tokensSpent(tokensBefore, await sandboxTokens(baseUrl, adminToken));
			// The preflight bill of the same items: their writes per object (this path verifies
			// nothing, so no read-back is billed). The template's per-run users/me reads are not
			// billed: these Commit runs share one client, which read it during setup.
			const bill = planBill({
				items: committedItems,
				transform: { spec, registry, owners: ownerMap },
				pageSize: PAGE_SIZE,
			});
			const perObject = Object.fromEntries(
				PIPEDRIVE_OBJECTS.map((object) => [object, bill.writes[object].tokens]),
			) as Record<PipedriveObject, number>;
			const billed: TokenTally = {
				perObject,
				setup: 0,
				total: PIPEDRIVE_OBJECTS.reduce((sum, object) => sum + perObject[object], 0),
			};
			const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
			process.stdout.write(
				JSON.stringify({
					readCpu,
					setupCpu,
					commitCpu,
					committed,
					written,
					peakRssMb,
					billed,
					actual,
					lost,
				}),
			);
		} finally {
			await store.close();
		}
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

/** Counts the requests that got no answer (Commit looks such a write up before sending it again). */
function noAnswerCounter(inner: HttpTransport, lost: Record<string, number>): HttpTransport {
	return {
		request: (req) =>
			inner.request(req).catch((error: unknown) => {
				const code = (error as { code?: string }).code ?? 'unknown';
				lost[code] = (lost[code] ?? 0) + 1;
				throw error;
			}),
	};
}

/** The sandbox's tokens charged so far, by operation (`GET /api/v2/persons`, …). */
async function sandboxTokens(baseUrl: string, adminToken: string): Promise<Record<string, number>> {
	const response = await fetch(new URL('/__sandbox/counters', baseUrl), {
		headers: { 'x-sandbox-admin-token': adminToken },
	});
	return ((await response.json()) as { tokens: Record<string, number> }).tokens;
}

/** What the child prints, as JSON, on its stdout. */
export interface MigrateFigures {
	readCpu: number;
	setupCpu: number;
	commitCpu: number;
	committed: number;
	written: number;
	peakRssMb: number;
	billed: TokenTally;
	actual: TokenTally;
	lost: Record<string, number>;
}

if (require.main === module) {
	const [folder, baseUrl, apiToken, companyId, adminToken] = process.argv.slice(2);
	migrateChild(folder, baseUrl, apiToken, Number(companyId), adminToken).catch((error: Error) => {
		console.error(error.stack ?? error.message);
		process.exit(1);
	});
}
