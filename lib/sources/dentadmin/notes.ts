import type { Note } from '../../model';
import type { ChildFileSpec } from '../common';
import { column } from './columns';
import { key } from './keys';
import { flattenRichText } from './richText';

export const NOTE_COLUMNS = [
	column('noteId', 'NotaNr', 'NoNote', 'text', { required: true }),
	column('patientId', ['PatiëntNr', 'PatientNr'], 'NoPatient', 'text', { required: true }),
	column('text', 'Tekst', 'Texte', 'text', { required: true }),
	column('date', 'Datum', 'Date', 'dateTime', { happened: true }),
	column('author', 'Auteur', 'Auteur', 'text'),
	column('category', 'Categorie', 'Categorie', 'text'),
	column('labels', 'Labels', 'Etiquettes', 'list', { separator: ';' }),
];

/** Notes: RTF or HTML flattened to plain text (the Note says which), category and labels kept. */
export const notesFile: ChildFileSpec = {
	role: 'child',
	name: 'notities.csv',
	fileNames: ['notities.csv', 'notes.csv'],
	entity: 'note',
	columns: NOTE_COLUMNS,
	idField: 'noteId',
	createdField: 'date',
	patientField: 'patientId',
	collection: 'notes',
	build: (row) => {
		const id = row.text('noteId') as string;
		const { text, format } = flattenRichText(row.text('text') as string);
		const author = row.text('author');
		const note: Note = {
			sourceSystem: 'dentadmin',
			sourceId: id,
			sourceKey: key('note', id),
			origin: { file: row.file, line: row.line },
			extra: row.extra,
			patientKey: key('patient', row.text('patientId') as string),
			text,
			format,
			authorKey: author === undefined ? undefined : key('provider', author),
			createdAt: row.dateTime('date'),
			category: row.text('category'),
			tags: row.list('labels'),
		};
		return note;
	},
};
