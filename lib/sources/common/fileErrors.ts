/**
 * File-system error codes in words. Messages never carry the raw code: n8n replaces any error
 * message that contains one (ENOENT, EACCES, …) with a generic sentence that drops the file name.
 */
const REASONS: Record<string, string> = {
	ENOENT: 'it does not exist',
	EACCES: 'permission denied',
	EPERM: 'permission denied',
	EISDIR: 'it is a folder, not a file',
	ENOTDIR: 'part of the path is not a folder',
	EIO: 'the disk reported a read failure',
	EMFILE: 'too many files are open',
};

export function describeFileError(error: unknown): string {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	return (typeof code === 'string' && REASONS[code]) || 'the system refused the read';
}
