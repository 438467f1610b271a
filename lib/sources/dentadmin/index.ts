/**
 * The DentAdmin reader: read an export with `readDentAdminExport` (CSV folder or in-memory files)
 * or `readDentAdminApi` (the API). Both add what the bare profile cannot (the practice, insurers
 * patients use but the insurer file lacks, report file names as in the export), so prefer them
 * to `readExport(dentAdminProfile(), …)`. Decisions are recorded in README.md.
 */
export { readDentAdminExport, DEFAULT_PRACTICE_NAME, type DentAdminReadOptions } from './read';
export {
	readDentAdminApi,
	DentAdminApiError,
	DEFAULT_API_PATHS,
	type ApiPaging,
	type DentAdminApiOptions,
} from './api';
export { dentAdminProfile, type DentAdminProfileOptions } from './profile';
export {
	bundledRizivNomenclature,
	checkRizivCode,
	loadRizivNomenclature,
	parseRizivNomenclature,
	type RizivCheck,
	type RizivNomenclature,
} from './riziv';
export { normaliseInsurerName, unionOfMutuality } from './mutuality';
export { validateNationalNumber } from './nationalNumber';
