import { migrationJournalPostgresConnection } from './credentialTest';

export const credentialTest = { migrationJournalPostgresConnection };
