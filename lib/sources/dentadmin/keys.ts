import { sourceKey, type EntityName } from '../../model';

/** Source keys of DentAdmin records (`dentadmin:patient:1042`). */
export const key = (entity: EntityName, id: string) => sourceKey('dentadmin', entity, id);

/** DentAdmin has no practice file: the one practice gets this fixed identity. */
export const PRACTICE_ID = 'main';
export const PRACTICE_KEY = key('practice', PRACTICE_ID);
