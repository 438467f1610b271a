import type { Document } from '../../model';
import type { BuildContext, ChildFileSpec, SourceRow } from '../common';
import { column } from './columns';
import { key } from './keys';

export const DOCUMENT_COLUMNS = [
	column('documentId', 'DocNr', 'NoDocument', 'text', { required: true }),
	column('patientId', ['PatiëntNr', 'PatientNr'], 'NoPatient', 'text', { required: true }),
	column('fileName', 'Bestandsnaam', 'NomFichier', 'text', { required: true }),
	column('path', 'Pad', 'Chemin', 'text'),
	column('type', 'Type', 'Type', 'text'),
	column('size', 'Grootte', 'Taille', 'integer'),
	column('date', 'Datum', 'Date', 'dateTime', { happened: true }),
];

const MIME_TYPES: Record<string, string> = {
	pdf: 'application/pdf',
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	txt: 'text/plain',
	rtf: 'application/rtf',
	doc: 'application/msword',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** Documents: the file is looked up inside the export folder; a path that leaves it is refused. */
export const documentsFile: ChildFileSpec = {
	role: 'child',
	name: 'documenten.csv',
	fileNames: ['documenten.csv', 'documents.csv'],
	entity: 'document',
	columns: DOCUMENT_COLUMNS,
	idField: 'documentId',
	createdField: 'date',
	patientField: 'patientId',
	collection: 'documents',
	build: buildDocument,
};

function buildDocument(row: SourceRow, ctx: BuildContext): Document {
	const id = row.text('documentId') as string;
	const fileName = row.text('fileName') as string;
	const relativePath = row.text('path') ?? fileName;
	const extension = fileName.split('.').pop()?.toLowerCase() ?? '';
	return {
		sourceSystem: 'dentadmin',
		sourceId: id,
		sourceKey: key('document', id),
		origin: { file: row.file, line: row.line },
		extra: row.extra,
		patientKey: key('patient', row.text('patientId') as string),
		fileName,
		relativePath,
		resolvedPath: resolve(relativePath, row, ctx),
		mimeType: MIME_TYPES[extension],
		sizeBytes: row.integer('size'),
		category: row.text('type'),
		createdAt: row.dateTime('date'),
	};
}

/**
 * The absolute path of the document's file; undefined when it cannot be used (reported) or when
 * the export came as in-memory files (the file is then found by name among them).
 */
function resolve(relativePath: string, row: SourceRow, ctx: BuildContext): string | undefined {
	const column = ctx.header(row.text('path') === undefined ? 'fileName' : 'path');
	const resolved = ctx.resolvePath(relativePath);
	if (resolved.kind === 'outside' || resolved.kind === 'invalid') {
		ctx.issue(
			'warning',
			column,
			'document-path-refused',
			'The document path is absolute or leaves the export folder: the file is not read (the record is kept); give a path relative to the export folder.',
		);
		return undefined;
	}
	if (!resolved.exists) {
		ctx.issue(
			'warning',
			column,
			'document-file-missing',
			'The document file is not in the export folder: the record is kept without its file; copy the file into the export and read again.',
		);
		return undefined;
	}
	return resolved.absolutePath;
}
