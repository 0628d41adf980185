// The one harden flow (src/engines/harden/flow.ts) driven through its ports, as the wizard drives
// it: file by file (another store plans the file again), one confirmation, then everything is
// written or nothing is, and the session's events say exactly which.
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {createRedactor} from '../../src/core/secrets.js';
import {type FileAnswer, type FileView, type HardenEvent, runHarden} from '../../src/engines/harden/flow.js';
import {tempDir} from '../helpers/fs.js';
import {fakeCloudSightKey} from '../helpers/keys.js';

function repo(key: string): string {
	const root = tempDir();
	const git = (...args: string[]) => execFileSync('git', ['-C', root, '-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args]);
	git('init', '-q');
	fs.writeFileSync(path.join(root, 'a.py'), `A = "${key}"\n`);
	fs.writeFileSync(path.join(root, 'b.js'), `const B = "${key}";\n`);
	fs.writeFileSync(path.join(root, '.gitignore'), 'dist/\n');
	git('add', '-A');
	git('commit', '-q', '-m', 'x');
	return root;
}

/** Every file of the working tree and .git/hooks, with its bytes. */
function snapshot(root: string): Map<string, string> {
	const files = new Map<string, string>();
	const walk = (dir: string) => {
		for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(path.relative(root, full) === '.git' ? path.join(full, 'hooks') : full);
			else files.set(path.relative(root, full), fs.readFileSync(full).toString('base64'));
		}
	};
	walk(root);
	return files;
}

function run(root: string, key: string, answers: Array<FileAnswer>, all: boolean, beforeWriting = () => undefined as void) {
	const events: HardenEvent[] = [];
	const asked: FileView[] = [];
	const redactor = createRedactor([key]);
	const done = runHarden(
		{repos: [root], key, variable: 'CLOUDSIGHT_API_KEY', store: 'env', address: () => ({}), ci: 'detect'},
		{
			confirm: async file => {
				asked.push(file);
				return answers.shift() ?? 'leave';
			},
			confirmAll: async () => {
				beforeWriting();
				return all;
			},
			record: event => events.push(event),
			redact: redactor.text,
		},
	);
	return {done, events, asked};
}

describe('the harden flow', () => {
	it('asks file by file (another store plans the file again), then writes the accepted rewrites, the config and the guards, and records it once', async () => {
		const key = fakeCloudSightKey();
		const root = repo(key);
		const {done, events, asked} = run(root, key, [{store: 'vault'}, 'accept', 'leave'], true);
		expect((await done).status).toBe('applied');
		expect(asked.map(file => [file.file, file.store, file.ownStore])).toEqual([
			['a.py', 'env', false],
			['a.py', 'vault', true],
			['b.js', 'env', false],
		]);
		expect(JSON.stringify(asked)).not.toContain(key); // the prompts show it masked
		expect(fs.readFileSync(path.join(root, 'a.py'), 'utf8')).toContain('# CLOUDSIGHT_API_KEY is set from HashiCorp Vault KV v2');
		expect(fs.readFileSync(path.join(root, 'b.js'), 'utf8')).toContain(key); // left as it is
		expect(events.map(event => event.type)).toEqual(['harden.started', 'hardened']);
		expect(events[0]).toMatchObject({files: ['a.py'], config: ['.env.example: add CLOUDSIGHT_API_KEY= (the name, never a value)', '.gitignore: add .env']});
		const hardened = events[1] as Extract<HardenEvent, {type: 'hardened'}>;
		expect(hardened.hardening.files).toEqual([
			{file: 'a.py', lines: [1], status: 'rewritten', store: 'vault'},
			{file: 'b.js', lines: [1], status: 'manual', reason: 'left as it is by the responder'},
		]);
		expect(hardened.hardening).toMatchObject({variable: 'CLOUDSIGHT_API_KEY', store: 'env', configPending: [], guard: {proven: true}});
	}, 30_000);

	it('no at the one confirmation writes nothing, and the record says what was not made', async () => {
		const key = fakeCloudSightKey();
		const root = repo(key);
		const before = snapshot(root);
		const {done, events} = run(root, key, ['accept', 'accept'], false);
		expect((await done).status).toBe('cancelled');
		expect(snapshot(root)).toEqual(before);
		expect(events).toEqual([{type: 'harden.abandoned', why: 'cancelled', files: 2, config: 2}]);
	});

	it('a failing write restores every byte and records the action as failed and undone', async () => {
		const key = fakeCloudSightKey();
		const root = repo(key);
		const before = snapshot(root);
		// Between the plan and the writes the hook path becomes a folder: the guard's write fails after the rewrites and the config.
		const hook = path.join(root, '.git', 'hooks', 'pre-commit');
		const {done, events} = run(root, key, ['accept', 'accept'], true, () => fs.mkdirSync(hook, {recursive: true}));
		await expect(done).rejects.toThrow(/Every file written before it was restored: nothing changed/);
		fs.rmdirSync(hook);
		expect(snapshot(root)).toEqual(before);
		expect(events.map(event => (event.type === 'harden.abandoned' ? `${event.type}: ${event.why}` : event.type))).toEqual(['harden.started', 'harden.abandoned: failed and was undone']);
	});
});
