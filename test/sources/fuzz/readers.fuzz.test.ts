import { fuzzReaders } from '../../helpers/readerFuzz';

/** A fixed seed and a bounded number of cases; `npm run fuzz -- --runs N --seed S` runs longer. */
const RUNS = 300;
const SEED = 18;

describe('fuzzed exports of both sources', () => {
	it(`hold the reader's properties for ${RUNS} generated, damaged exports (seed ${SEED})`, async () => {
		const cases = await fuzzReaders({ runs: RUNS, seed: SEED });
		expect(cases).toBe(RUNS);
	}, 120_000);
});
