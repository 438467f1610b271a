import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { DentAdminReadOptions } from '../../lib/sources/dentadmin/read';
import { loadRizivNomenclature } from '../../lib/sources/dentadmin/riziv';

/** The DentAdmin-only parameters (practice, national number, nomenclature) as read options. */
export function dentAdminOptions(
	context: IExecuteFunctions,
	itemIndex: number,
): Pick<DentAdminReadOptions, 'practiceName' | 'includeNationalNumber' | 'nomenclature'> {
	const nomenclaturePath = (
		context.getNodeParameter('rizivNomenclaturePath', itemIndex, '') as string
	).trim();
	let nomenclature: DentAdminReadOptions['nomenclature'];
	if (nomenclaturePath !== '') {
		try {
			nomenclature = loadRizivNomenclature(nomenclaturePath);
		} catch (error) {
			throw new NodeOperationError(context.getNode(), (error as Error).message, {
				itemIndex,
				description:
					'Give a CSV with the columns code, pair_code, description_nl, description_fr, valid_from, valid_to, source, or leave the field empty for the bundled table.',
			});
		}
	}
	return {
		practiceName: context.getNodeParameter('practiceName', itemIndex, '') as string,
		includeNationalNumber: context.getNodeParameter(
			'includeNationalNumber',
			itemIndex,
			false,
		) as boolean,
		nomenclature,
	};
}
