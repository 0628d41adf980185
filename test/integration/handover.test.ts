// Hand-over: export on one machine (LEAKFIX_HOME), import on another, finish there. The file
// holds no form of the key; the report names both responders; an import never overwrites.
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {Session} from '../../src/core/model.js';
import {keyNeedles} from '../../src/core/needles.js';
import {renderReport} from '../../src/core/report.js';
import {createRedactor} from '../../src/core/secrets.js';
import {transition} from '../../src/core/session.js';
import {currentActor, gitUserName} from '../../src/infra/actor.js';
import {sessionsDir} from '../../src/infra/paths.js';
import {SessionStore} from '../../src/infra/store.js';
import {tempDir} from '../helpers/fs.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession} from '../unit/session-fixture.js';

const BIN = path.resolve('bin/leakfix.js');
const T = (h: number, m: number) => new Date(Date.UTC(2026, 10, 27, h, m)).toISOString();

function leakfix(args: string[], home: string) {
	const env: NodeJS.ProcessEnv = {...process.env, LEAKFIX_HOME: home};
	delete env.CI;
	const result = spawnSync(process.execPath, [BIN, ...args], {env, input: '', encoding: 'utf8', cwd: tempDir()});
	return {code: result.status, stdout: result.stdout, stderr: result.stderr};
}

const storeIn = (home: string, key: string) => new SessionStore(sessionsDir(home), createRedactor([key]));

describe('hand-over between machines', () => {
	it('export on one home, import on another, finish there: the report shows both responders, the file holds no form of the key', () => {
		const key = fakeCloudSightKey();
		const alice = tempDir();
		const bob = tempDir();
		let session = makeSession(key, T(9, 0));
		session = transition(session, {type: 'item.done', step: 'assess', item: 'confirm-key', at: T(9, 5)}, 'alice (git: Alice A)');
		session = transition(session, {type: 'item.noted', step: 'assess', item: 'find-copies', note: `pasted by mistake: ${key}`, at: T(9, 6)}, 'alice (git: Alice A)');
		storeIn(alice, key).save(session);

		const file = path.join(tempDir(), 'handover.json');
		const exported = leakfix(['export', session.id, '--out', file], alice);
		expect(exported).toMatchObject({code: 0, stderr: expect.stringContaining('no secret in it')});
		expect(fs.statSync(file).mode & 0o777).toBe(0o600);
		const bytes = fs.readFileSync(file);
		for (const needle of keyNeedles(key)) expect(bytes.includes(needle.bytes), `a form of the key (${needle.bytes.length} bytes)`).toBe(false);
		expect(bytes.includes(Buffer.from(key.slice(0, -4)))).toBe(false);

		const imported = leakfix(['import', file], bob);
		expect(imported).toMatchObject({code: 0, stdout: expect.stringContaining(`Imported incident ${session.id}`)});
		// Bob carries on: his actions carry his name.
		const there = storeIn(bob, key);
		let carried = there.load(session.id);
		carried = transition(carried, {type: 'item.done', step: 'assess', item: 'check-live', at: T(11, 0)}, 'bob (git: Bob B)');
		there.save(carried);
		const md = renderReport(there.load(session.id), 'md', T(12, 0), createRedactor([key]));
		expect(md).toContain('- **Responders:** alice (git: Alice A); bob (git: Bob B)');
		expect(md).toMatch(/\| Done: Check whether the key is still live \| bob \(git: Bob B\) \|/);
		expect(md).not.toContain(key);

		// Back to Alice: her copy is behind, so it is brought up to date; again: nothing new.
		const back = path.join(tempDir(), 'back.json');
		expect(leakfix(['export', session.id, '--out', back], bob).code).toBe(0);
		expect(leakfix(['import', back], alice).stdout).toContain('brought up to date: 1 new timeline event(s)');
		expect(leakfix(['import', back], alice).stdout).toContain('already holds everything in the file: nothing changed');
		expect(leakfix(['import', file], alice).stdout).toContain('nothing changed'); // an older file never rolls it back
	});

	it('refuses to overwrite an incident changed on both machines, and keeps both with --as-new', () => {
		const key = fakeCloudSightKey();
		const one = tempDir();
		const two = tempDir();
		const base = makeSession(key, T(9, 0));
		storeIn(one, key).save(transition(base, {type: 'item.done', step: 'assess', item: 'confirm-key', at: T(9, 5)}, 'alice'));
		storeIn(two, key).save(transition(base, {type: 'item.done', step: 'assess', item: 'check-live', at: T(9, 7)}, 'bob'));
		const file = path.join(tempDir(), 'two.json');
		expect(leakfix(['export', base.id, '--out', file], two).code).toBe(0);
		const refused = leakfix(['import', file], one);
		expect(refused).toMatchObject({code: 2, stderr: expect.stringContaining('changed on both machines')});
		expect(refused.stderr).toContain('--as-new');
		expect(storeIn(one, key).load(base.id).timeline.at(-1)?.by).toBe('alice'); // untouched
		const copy = leakfix(['import', file, '--as-new'], one);
		expect(copy).toMatchObject({code: 0, stdout: expect.stringContaining('Imported as a copy')});
		expect(storeIn(one, key).list().sessions).toHaveLength(2);
	});

	it('a file that is not an export is a clear error', () => {
		const home = tempDir();
		const file = path.join(tempDir(), 'x.json');
		fs.writeFileSync(file, '{"schema":"something-else"}');
		expect(leakfix(['import', file], home)).toMatchObject({code: 2, stderr: expect.stringContaining('is not a leakfix export')});
		fs.writeFileSync(file, 'nope');
		expect(leakfix(['import', file], home)).toMatchObject({code: 2, stderr: expect.stringContaining('not JSON')});
		expect(leakfix(['export', '--out', file], home)).toMatchObject({code: 2});
	});
});

describe('who acted', () => {
	it('reads git user.name from config text (the last one wins, quoted, with comments)', () => {
		expect(gitUserName('[core]\n\tname = nope\n[user]\n\tname = "Ann Example" ; me\n\temail = a@example.com\n')).toBe('Ann Example');
		expect(gitUserName('[user]\nname = One\n[user]\nname = Two\n')).toBe('Two');
		expect(gitUserName('[core]\n')).toBeUndefined();
	});

	it('names the OS user and git user.name from the repository config', () => {
		const home = tempDir();
		const repo = tempDir();
		fs.mkdirSync(path.join(repo, '.git'));
		fs.writeFileSync(path.join(repo, '.git', 'config'), '[user]\n\tname = Repo Person\n');
		expect(currentActor(repo, {HOME: home})).toMatch(/ \(git: Repo Person\)$/);
	});

	it('records the actor on every timeline entry an event adds, including the ticks it causes', () => {
		const key = fakeCloudSightKey();
		let session: Session = {...makeSession(key), inventory: [{id: 'a', service: 'a', environment: 'prod' as const, store: {type: 'manual' as const, text: 'x'}, evidence: [], origin: 'manual' as const}]};
		const before = session.timeline.length;
		session = transition(session, {type: 'entry.result', id: 'a', action: 'update', result: {status: 'manual', detail: 'by hand', at: T(13, 0)}, at: T(13, 0)}, 'carol');
		const added = session.timeline.slice(before);
		expect(added.length).toBeGreaterThanOrEqual(2);
		expect(added.every(entry => entry.by === 'carol')).toBe(true);
	});
});
