// The optional clean-up after the old key is proven revoked: purge it from the repository's
// history with git filter-repo (its replacement file, which holds the key, written 0600 in a
// private folder and removed after, whatever happens), and tell ggshield to stop alerting on it
// (by the key's sha256, so the config holds no secret).
import {writeFileWhole} from '../infra/files.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {parseDocument} from 'yaml';
import {runCommand, type CommandRunner} from '../infra/command.js';
import {UserError} from '../infra/errors.js';

export async function purgeHistory(repo: string, oldKey: string, options: {run?: CommandRunner; redact: (text: string) => string}): Promise<string> {
	const run = options.run ?? runCommand;
	const check = await run('git', ['filter-repo', '--version'], {cwd: repo});
	if (check.exitCode !== 0) throw new UserError('git filter-repo is not installed.', 'Install it (pipx install git-filter-repo, or your package manager), then press g again.');
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'leakfix-purge-'));
	const file = path.join(folder, 'replacements.txt');
	try {
		const forms = [...new Set([oldKey, encodeURIComponent(oldKey)])];
		fs.writeFileSync(file, forms.map(form => `${form}==>REMOVED-LEAKED-KEY\n`).join(''), {mode: 0o600});
		const result = await run('git', ['filter-repo', '--replace-text', file, '--force'], {cwd: repo, redact: options.redact});
		if (result.exitCode !== 0) throw new UserError(`git filter-repo failed: ${options.redact(result.stderr).trim().split('\n').at(-1) ?? ''}`);
		return 'History rewritten: every copy of the old key is now REMOVED-LEAKED-KEY. Push with --force (all branches and tags), and have every collaborator re-clone.';
	} finally {
		fs.rmSync(folder, {recursive: true, force: true});
	}
}

/** Adds the key's sha256 to .gitguardian.yaml's ignored matches (created if missing; other settings kept). */
export function ignoreInGgshield(repo: string, fingerprint: string, name: string): string {
	const file = path.join(repo, '.gitguardian.yaml');
	const document = parseDocument(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : 'version: 2\n');
	if (document.errors.length > 0) throw new UserError(`${file} is not valid YAML; add the entry by hand: match: ${fingerprint}`);
	const matches = (document.getIn(['secret', 'ignored_matches']) as {toJSON?: () => unknown} | undefined)?.toJSON?.() as Array<{match?: string}> | undefined;
	if (matches?.some(entry => entry.match === fingerprint)) return `${file} already ignores it.`;
	if (!document.hasIn(['secret', 'ignored_matches'])) document.setIn(['secret', 'ignored_matches'], document.createNode([]));
	document.addIn(['secret', 'ignored_matches'], document.createNode({name, match: fingerprint}));
	writeFileWhole(file, document.toString(), {mode: fs.existsSync(file) ? fs.lstatSync(file).mode & 0o777 : 0o644});
	return `${file}: ggshield now ignores the dead key (by its sha256). Commit it.`;
}
