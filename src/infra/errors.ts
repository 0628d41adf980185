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
