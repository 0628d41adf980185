// Who acts: the OS user and git's user.name, recorded on every timeline event so a handed-over
// incident says which responder did what. git's setting is read from its config files (the
// repository's, then the global ones), not by running git: the wizard starts without a child.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** user.name in one git config file's text (the last one wins, as in git). */
export function gitUserName(text: string): string | undefined {
	let section = '';
	let name: string | undefined;
	for (const raw of text.split(/\r?\n/)) {
		const line = raw.trim();
		const header = /^\[\s*([^\]\s"]+)(?:\s+"[^"]*")?\s*\]/.exec(line);
		if (header) {
			section = header[1]!.toLowerCase();
			continue;
		}
		const entry = /^name\s*=\s*(.*)$/i.exec(line);
		if (section === 'user' && entry) {
			const value = entry[1]!.trim();
			// A quoted value keeps what is inside the quotes; otherwise a ; or # starts a comment.
			name = value.startsWith('"') ? (/^"((?:[^"\\]|\\.)*)"/.exec(value)?.[1] ?? value.slice(1)) : value.replace(/\s*[;#].*$/, '').trim();
		}
	}
	return name || undefined;
}

function read(file: string): string {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		return '';
	}
}

/** "alice (git: Alice Smith)", or the parts that are known. */
export function currentActor(repo?: string, env: NodeJS.ProcessEnv = process.env): string {
	let user = env.USER ?? env.LOGNAME ?? '';
	try {
		user = os.userInfo().username || user;
	} catch {}
	const home = env.HOME ?? os.homedir();
	const files = [
		path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'git', 'config'),
		path.join(home, '.gitconfig'),
		...(repo ? [path.join(repo, '.git', 'config')] : []),
	];
	let git: string | undefined;
	for (const file of files) git = gitUserName(read(file)) ?? git;
	const who = [user, git ? `(git: ${git})` : ''].filter(Boolean).join(' ');
	return who || 'unknown user';
}
