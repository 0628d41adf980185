// Three kinds of failure, three different screens (see docs/architecture.md):
// the user's mistake (say what to do next), an outside command or service failing
// (the masked command and the tail of its output), and our own bug (a stack, non-zero exit).

/** The user's mistake or a state they can fix. Printed as one clear message; exit 2; no stack. */
export class UserError extends Error {
	override readonly name = 'UserError';
	constructor(
		message: string,
		readonly hint?: string,
		readonly exitCode = 2,
	) {
		super(message);
	}
}

/**
 * A file leakfix reads or writes failed for a reason of the machine's (a full disk, a folder owned
 * by root, a read-only file system, a planted link). `reason` is short ("the disk is full
 * (ENOSPC)") for a banner; the message names the file; the hint says the fix. Exit 2, no stack.
 */
export class IoError extends UserError {
	constructor(
		message: string,
		hint: string | undefined,
		readonly reason: string,
		readonly code: string | undefined,
		readonly file: string,
	) {
		super(message, hint);
	}
}

/** A helper command or a remote service failed. `command` is already masked. */
export class ExternalError extends Error {
	override readonly name = 'ExternalError';
	constructor(
		message: string,
		readonly command: string,
		readonly outputTail: string,
	) {
		super(message);
	}
}
