import { sniffDelimiter } from '../../../lib/sources/common/delimiter';

describe('sniffDelimiter', () => {
	it.each([
		['PatientID,LastName,FirstName', ','],
		['PatiëntNr;Naam;Voornaam', ';'],
		['PatientID\tLastName\tFirstName', '\t'],
		['"Last, First";ID;Name', ';'],
	])('finds the delimiter of %j', (line, delimiter) => {
		expect(sniffDelimiter(line)).toEqual({ kind: 'found', delimiter });
	});

	it('reports a delimiter from another tool', () => {
		expect(sniffDelimiter('PatientID|LastName|FirstName')).toEqual({
			kind: 'foreign',
			delimiter: '|',
		});
	});

	it('takes a header without any separator as a single column', () => {
		expect(sniffDelimiter('PatientID')).toEqual({ kind: 'single-column' });
	});
});
