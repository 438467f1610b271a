import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { commitPlans } from '../lib/ledger/commit';
import { rollback } from '../lib/ledger/rollback';
import { FileJournalStore } from '../lib/ledger/store/fileJournalStore';
import { FIXTURE_SPEC_HASH, handPlans, readFixtureDocument } from '../test/ledger/fixtures/handPlans';
import { sandboxAccount } from '../test/ledger/helpers/sandboxAccount';

async function main() {
	const plan = (process.argv[2] ?? 'growth') as 'growth';
	const latencyMs = Number(process.argv[3] ?? '0');
	const account = await sandboxAccount({ plan, seats: 3, latencyMs });
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prof-'));
	const store = FileJournalStore.open(dir, account.companyId);
	const plans = handPlans(account.registry, { patients: Number(process.argv[4] ?? '120') });
	const c0 = account.sandbox.admin.counters();
	let t = process.hrtime.bigint();
	await commitPlans(plans, { store, client: account.client, registry: account.registry, confirmedSpecHash: FIXTURE_SPEC_HASH, kind: 'full', readDocument: readFixtureDocument });
	const m = Number(process.hrtime.bigint() - t) / 1e9;
	const c1 = account.sandbox.admin.counters();
	if (process.argv[5] === 'pause') await new Promise((r) => setTimeout(r, 2200));
	const client = account.client;
	const marks: Array<[string, number]> = [];
	const wrapped = Object.create(client);
	t = process.hrtime.bigint();
	const at = () => Number(process.hrtime.bigint() - t) / 1e6;
	wrapped.delete = async (...a: [never, never]) => { marks.push(['del-start', at()]); const x = await client.delete(...a); marks.push(['del-end', at()]); return x; };
	const r = await rollback({ store, client: wrapped });
	const ds = marks.filter(m => m[0]==='del-start').map(m=>m[1]); const de = marks.filter(m => m[0]==='del-end').map(m=>m[1]);
	console.log('first delete at', Math.min(...ds).toFixed(0), 'last delete answered at', Math.max(...de).toFixed(0), 'ms');
	const rb = Number(process.hrtime.bigint() - t) / 1e9;
	const c2 = account.sandbox.admin.counters();
	const diff = (a: typeof c0, b: typeof c0) => Object.fromEntries(Object.entries(b.requests).map(([k, v]) => [k, v - (a.requests[k] ?? 0)]).filter(([, v]) => (v as number) > 0));
	console.log('migration', m.toFixed(1), 's', JSON.stringify(diff(c0, c1), null, 1), 'tokens', c1.tokensUsed - c0.tokensUsed);
	console.log('rollback', rb.toFixed(1), 's', r.deleted, r.verification.passed, JSON.stringify(diff(c1, c2), null, 1), 'tokens', c2.tokensUsed - c1.tokensUsed);
	await store.close(); await account.close();
}
main();
