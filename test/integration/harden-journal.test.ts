// The whole "keep the key out of code" action is written through one journal: a failure part way
// restores every file it had written, byte for byte (and removes the ones it created).
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {applyHardening, findHardcoded, planChanges, readersOf, WriteJournal} from '../../src/engines/harden/index.js';
import {tempDir} from '../helpers/fs.js';
import {fakeCloudSightKey} from '../helpers/keys.js';

function repo(key: string): string {
	const root = tempDir();
	const git = (...args: string[]) => execFileSync('git', ['-C', root, '-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args]);
	git('init', '-q');
	fs.writeFileSync(path.join(root, 'a.js'), `const A = "${key}";\n`, {mode: 0o640});
	fs.writeFileSync(path.join(root, 'b.py'), `B = "${key}"\n`);
	fs.writeFileSync(path.join(root, 'reader.js'), 'export const k = process.env.CLOUDSIGHT_API_KEY;\n');
	fs.writeFileSync(path.join(root, '.gitignore'), 'dist/\n');
	git('add', '-A');
	git('commit', '-q', '-m', 'x');
	return root;
}

describe('the harden journal', () => {
	it('a failing guard write restores the rewritten files and the config, byte for byte, and removes what it created', async () => {
		const key = fakeCloudSightKey();
		const root = repo(key);
		const bytes = (file: string) => fs.readFileSync(path.join(root, file));
		const before = {a: bytes('a.js'), b: bytes('b.py'), ignore: bytes('.gitignore')};
		// The hook path is a folder: the guard's write fails after the rewrites and the config.
		fs.mkdirSync(path.join(root, '.git', 'hooks', 'pre-commit'), {recursive: true});
		const changes = planChanges(await findHardcoded([root], key), key, 'CLOUDSIGHT_API_KEY', 'env');
		expect(changes.filter(change => change.apply)).toHaveLength(2);
		await expect(applyHardening({repo: root, variable: 'CLOUDSIGHT_API_KEY', key, changes, extras: true})).rejects.toThrow(/Every file written before it was restored: nothing changed/);
		expect(bytes('a.js').equals(before.a)).toBe(true);
		expect(bytes('b.py').equals(before.b)).toBe(true);
		expect(bytes('.gitignore').equals(before.ignore)).toBe(true);
		expect(fs.statSync(path.join(root, 'a.js')).mode & 0o777).toBe(0o640);
		expect(fs.existsSync(path.join(root, '.env.example'))).toBe(false);
		expect(fs.existsSync(path.join(root, '.git', 'hooks', 'leakfix-guard.mjs'))).toBe(false);
		expect(fs.readdirSync(root).filter(name => name.includes('leakfix'))).toEqual([]);
	});

	it('rollback removes created files and folders, and restores modes', () => {
		const root = tempDir();
		fs.writeFileSync(path.join(root, 'x'), 'one', {mode: 0o600});
		const journal = new WriteJournal();
		journal.write(path.join(root, 'x'), 'two');
		journal.write(path.join(root, 'x'), 'three');
		journal.write(path.join(root, 'new', 'deep', 'y'), 'made', 0o755);
		expect(fs.readFileSync(path.join(root, 'x'), 'utf8')).toBe('three');
		expect(fs.statSync(path.join(root, 'x')).mode & 0o777).toBe(0o600);
		expect(journal.rollback()).toEqual([]);
		expect(fs.readFileSync(path.join(root, 'x'), 'utf8')).toBe('one');
		expect(fs.existsSync(path.join(root, 'new'))).toBe(false);
	});

	it('refuses to write through a symbolic link', () => {
		const root = tempDir();
		fs.writeFileSync(path.join(root, 'target'), 'keep');
		fs.symlinkSync(path.join(root, 'target'), path.join(root, 'link'));
		expect(() => new WriteJournal().write(path.join(root, 'link'), 'x')).toThrow(/symbolic link/);
		expect(fs.readFileSync(path.join(root, 'target'), 'utf8')).toBe('keep');
	});

	it('counts the files that already read the variable', async () => {
		const root = repo(fakeCloudSightKey());
		expect(await readersOf(root, 'CLOUDSIGHT_API_KEY')).toEqual(['reader.js']);
	});
});

describe('writers never follow a planted link', () => {
	it('a link planted at the journal\'s temp path is refused, its target untouched', () => {
		const root = tempDir();
		fs.writeFileSync(path.join(root, 'outside'), 'keep');
		fs.writeFileSync(path.join(root, 'x'), 'one');
		fs.symlinkSync(path.join(root, 'outside'), path.join(root, `x.leakfix-${process.pid}.tmp`));
		expect(() => new WriteJournal().write(path.join(root, 'x'), 'two')).toThrow(/EEXIST/);
		expect(fs.readFileSync(path.join(root, 'outside'), 'utf8')).toBe('keep');
		expect(fs.readFileSync(path.join(root, 'x'), 'utf8')).toBe('one');
	});

	it('the ggshield ignore entry is not written through a link at .gitguardian.yaml', async () => {
		const {ignoreInGgshield} = await import('../../src/engines/cleanup.js');
		const root = tempDir();
		fs.writeFileSync(path.join(root, 'elsewhere.yaml'), 'version: 2\n');
		fs.symlinkSync(path.join(root, 'elsewhere.yaml'), path.join(root, '.gitguardian.yaml'));
		expect(() => ignoreInGgshield(root, 'f'.repeat(64), 'x')).toThrow(/link/);
		expect(fs.readFileSync(path.join(root, 'elsewhere.yaml'), 'utf8')).toBe('version: 2\n');
	});
});
