import { summariseByField, type FieldSummaryBase } from '../../lib/ledger/report/fieldSummary';

interface Row extends FieldSummaryBase {
	match: number;
	mismatch: number;
	missing: number;
	unexpected: number;
}

const field = (object: string, path: string, status: string) => ({
	object,
	path,
	label: `${object} ${path}`,
	canonical: `${object}.${path}`,
	status,
});

describe('summariseByField', () => {
	it('counts each verdict per object and field, in the order fields first appear', () => {
		const rows = summariseByField<Row, string>(
			[
				field('person', 'name', 'match'),
				field('deal', 'value', 'mismatch'),
				field('person', 'name', 'not-checked'),
				field('person', 'name', 'match'),
				field('deal', 'value', 'unexpected'),
				// Same path on another object is another row.
				field('deal', 'name', 'missing'),
				field('person', 'value', 'missing'),
			],
			['match', 'mismatch', 'missing', 'unexpected'],
		);
		expect(rows).toEqual([
			{
				object: 'person',
				label: 'person name',
				canonical: 'person.name',
				match: 2,
				mismatch: 0,
				missing: 0,
				unexpected: 0,
				notChecked: 1,
			},
			{
				object: 'deal',
				label: 'deal value',
				canonical: 'deal.value',
				match: 0,
				mismatch: 1,
				missing: 0,
				unexpected: 1,
				notChecked: 0,
			},
			{
				object: 'deal',
				label: 'deal name',
				canonical: 'deal.name',
				match: 0,
				mismatch: 0,
				missing: 1,
				unexpected: 0,
				notChecked: 0,
			},
			{
				object: 'person',
				label: 'person value',
				canonical: 'person.value',
				match: 0,
				mismatch: 0,
				missing: 1,
				unexpected: 0,
				notChecked: 0,
			},
		]);
	});

	it('gives a report without the unexpected verdict no such count', () => {
		const rows = summariseByField(
			[field('note', 'content', 'match')],
			['match', 'mismatch', 'missing'],
		);
		expect(rows).toEqual([
			{
				object: 'note',
				label: 'note content',
				canonical: 'note.content',
				match: 1,
				mismatch: 0,
				missing: 0,
				notChecked: 0,
			},
		]);
	});
});
