import { compareText } from '../order';
import type { Document, PatientBundle } from '../../model';
import type { PlanOperation } from '../../plan/plan';
import type { TransformContext } from './context';
import { OperationBuilder } from './operationBuilder';
import type { Value } from './values';

/** Documents above the spec's size limit: not uploaded, listed on the person instead. */
export function overSizeLimit(ctx: TransformContext, documents: Document[]): Document[] {
	return documents.filter(
		(d) => d.sizeBytes !== undefined && d.sizeBytes > ctx.spec.rules.fileSizeLimitBytes,
	);
}

/** Brief Dental-Exec row 11 / DentAdmin row 6: name and location of each document not uploaded. */
export function notUploadedList(ctx: TransformContext, documents: Document[]): Value | undefined {
	const lines = overSizeLimit(ctx, documents)
		.sort((a, b) => compareText(a.sourceKey, b.sourceKey))
		.map(
			(d) => `${d.fileName} (${d.relativePath ?? 'no path in the export'}, ${d.sizeBytes} bytes)`,
		);
	return lines.length === 0 ? undefined : { type: 'text', value: lines.join('\n') };
}

/**
 * Brief Dental-Exec row 11 / DentAdmin rows 5–6: documents upload as files linked to the
 * activity of their appointment when it is in the bundle, else to the person. Documents over the
 * size limit, missing from the export or of unknown size are reported instead.
 */
export function fileOperations(ctx: TransformContext, bundle: PatientBundle): PlanOperation[] {
	const appointmentKeys = new Set(bundle.appointments.map((a) => a.sourceKey));
	const operations: PlanOperation[] = [];
	for (const document of bundle.documents) {
		const where = document.origin
			? `${document.origin.file} line ${document.origin.line}`
			: document.sourceKey;
		if (document.resolvedPath === undefined) {
			ctx.report(
				'error',
				document.sourceKey,
				'document-missing',
				`Document ${where} has no file in the export folder: add the file or remove the row, then read the export again.`,
			);
			continue;
		}
		if (document.sizeBytes === undefined) {
			ctx.report(
				'error',
				document.sourceKey,
				'document-size-unknown',
				`Document ${where} has no size: the reader could not measure the file.`,
			);
			continue;
		}
		if (document.sizeBytes > ctx.spec.rules.fileSizeLimitBytes) {
			ctx.report(
				'warning',
				document.sourceKey,
				'document-over-size-limit',
				`Document ${where} is ${document.sizeBytes} bytes, over the ${ctx.spec.rules.fileSizeLimitBytes}-byte limit: not uploaded; its name and location are in the person's "documents not uploaded" field.`,
			);
			continue;
		}
		const builder = new OperationBuilder(ctx, 'file', document.sourceKey, bundle.bundleKey);
		if (document.appointmentKey !== undefined && appointmentKeys.has(document.appointmentKey))
			builder.reference('document.appointment', 'activity_id', document.appointmentKey);
		else builder.reference('document.patient', 'person_id', bundle.bundleKey);
		operations.push(
			builder.build({
				path: document.resolvedPath,
				fileName: document.fileName,
				mimeType: document.mimeType ?? 'application/octet-stream',
				sizeBytes: document.sizeBytes,
			}),
		);
	}
	return operations;
}
