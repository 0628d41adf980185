// The old key's deactivation as a command of the user's own CLI: the playbook's argument list
// with the key id (and the user name, when the probe named it) filled in. Pure: the Rotate
// screen and `leakfix rotate --dry-run` show it, src/engines/rotate.ts runs it.

/** `api`: the provider's revoke endpoint instead of a command (src/engines/revoke.ts); `display` is the request, masked. */
export type DeactivationCommand = {bin: string; args: string[]; display: string; api?: true};

/** The playbook's deactivation command with the key id (and the user name, when the probe named it) filled in. */
export function deactivationCommand(spec: {bin: string; args: string[]} | undefined, keyId: string | null, userName: string | null): DeactivationCommand | null {
	if (!spec) return null;
	if (spec.args.some(arg => arg.includes('{keyId}')) && keyId === null) return null;
	const args: string[] = [];
	for (let index = 0; index < spec.args.length; index++) {
		const arg = spec.args[index]!;
		// A flag whose value is unknown goes with it: `--user-name {userName}` without a user.
		if (spec.args[index + 1]?.includes('{userName}') && userName === null) {
			index++;
			continue;
		}
		if (arg.includes('{userName}') && userName === null) continue;
		args.push(arg.replaceAll('{keyId}', keyId ?? '').replaceAll('{userName}', userName ?? ''));
	}
	const quote = (value: string) => (/^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`);
	return {bin: spec.bin, args, display: [spec.bin, ...args].map(quote).join(' ')};
}
