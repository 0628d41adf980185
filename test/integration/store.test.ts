import {spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {createRedactor} from '../../src/core/secrets.js';
import {transition} from '../../src/core/session.js';
import {UserError} from '../../src/infra/errors.js';
import {CorruptSessionError, SessionStore} from '../../src/infra/store.js';
import {tempDir} from '../helpers/fs.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession} from '../unit/session-fixture.js';

const children: Array<ReturnType<typeof spawn>> = [];
afterEach(() => {
	for (const child of children.splice(0)) child.kill('SIGKILL');
});

function storeIn(dir = path.join(tempDir(), 'incidents'), secrets: string[] = []) {
	return new SessionStore(dir, createRedactor(secrets), () => new Date('2026-11-27T12:00:00Z'));
}

describe('SessionStore', () => {
	it('saves with mode 0600 in a 0700 folder and loads the same session back', () => {
		const store = storeIn();
		const session = makeSession(fakeCloudSightKey());
		store.save(session);
		expect(fs.statSync(store.fileOf(session.id)).mode & 0o777).toBe(0o600);
		expect(fs.statSync(store.dir).mode & 0o777).toBe(0o700);
		expect(store.load(session.id)).toEqual(session);
		expect(store.list().sessions.map(s => s.id)).toEqual([session.id]);
	});

	it('writes atomically: no temp files are left and a rewrite replaces the whole file', () => {
		const store = storeIn();
		let session = makeSession(fakeCloudSightKey());
		store.save(session);
		session = transition(session, {type: 'item.done', step: 'assess', item: 'confirm-key', at: '2026-11-27T12:01:00.000Z'});
		store.save(session);
		expect(fs.readdirSync(store.dir)).toEqual([path.basename(store.fileOf(session.id))]);
		expect(store.load(session.id).timeline.at(-1)!.kind).toBe('item.done');
	});

	it('never writes the key, even when a note or a name carries it', () => {
		const key = fakeCloudSightKey();
		const store = storeIn(undefined, [key]);
		let session = {...makeSession(key), name: `leak of ${key}`};
		session = transition(session, {type: 'item.noted', step: 'assess', item: 'find-copies', note: `copy: ${key} / ${encodeURIComponent(key)}`, at: '2026-11-27T12:01:00.000Z'});
		store.save(session);
		const text = fs.readFileSync(store.fileOf(session.id), 'utf8');
		expect(text).not.toContain(key);
		expect(text).not.toContain(Buffer.from(key).toString('base64'));
		expect(text).toContain(session.key.fingerprint);
	});

	it('moves a file with broken JSON aside, says so, and leaves other incidents alone', () => {
		const store = storeIn();
		const good = makeSession(fakeCloudSightKey());
		store.save(good);
		const badFile = path.join(store.dir, 'incident-20261126-dead.json');
		fs.writeFileSync(badFile, '{"schema": "leakfix/session", trunc', {mode: 0o600});
		const {sessions, quarantined} = store.list();
		expect(sessions.map(s => s.id)).toEqual([good.id]);
		expect(quarantined).toHaveLength(1);
		expect(quarantined[0]).toMatchObject({id: '20261126-dead', reason: 'not valid JSON'});
		expect(fs.existsSync(badFile)).toBe(false);
		expect(fs.readFileSync(quarantined[0]!.movedTo, 'utf8')).toBe('{"schema": "leakfix/session", trunc');
		expect(quarantined[0]!.movedTo).toMatch(/incident-20261126-dead\.json\.corrupt-2026-11-27T12-00-00-000Z$/);
		expect(store.load(good.id)).toEqual(good);
	});

	it('moves aside a file that parses but breaks the schema, naming the field', () => {
		const store = storeIn();
		const session = makeSession(fakeCloudSightKey());
		store.save(session);
		const file = store.fileOf(session.id);
		const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
		raw.key.fingerprint = 'not-a-hash';
		fs.writeFileSync(file, JSON.stringify(raw));
		const error = (() => {
			try {
				store.load(session.id);
			} catch (caught) {
				return caught;
			}
		})();
		expect(error).toBeInstanceOf(CorruptSessionError);
		expect((error as Error).message).toMatch(/does not match the session schema at key\.fingerprint/);
		expect((error as Error).message).toMatch(/moved aside to .*corrupt-/);
		expect(fs.existsSync(file)).toBe(false);
	});

	it('resolves a unique id prefix and refuses an ambiguous or unknown one', () => {
		const store = storeIn();
		store.save({...makeSession(fakeCloudSightKey()), id: '20261127-aaaa'});
		store.save({...makeSession(fakeCloudSightKey()), id: '20261127-aabb'});
		expect(store.resolveId('20261127-aaa')).toBe('20261127-aaaa');
		expect(() => store.resolveId('20261127-aa')).toThrow(/matches 2 incidents/);
		expect(() => store.resolveId('nope')).toThrow(UserError);
	});

	it('refuses a second lock while the first is held, and frees it on release', () => {
		const store = storeIn();
		const lock = store.lock('20261127-abcd');
		expect(() => store.lock('20261127-abcd')).toThrow(/open in another leakfix process \(pid \d+/);
		lock.release();
		store.lock('20261127-abcd').release();
	});

	it('refuses a lock held by another live process and takes over one left by a dead process', async () => {
		const store = storeIn();
		fs.mkdirSync(store.dir, {recursive: true});
		const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {stdio: 'ignore'});
		children.push(child);
		await new Promise(resolve => child.once('spawn', resolve));
		const lockFile = path.join(store.dir, 'incident-20261127-abcd.lock');
		fs.writeFileSync(lockFile, JSON.stringify({pid: child.pid, host: (await import('node:os')).hostname(), since: '2026-11-27T11:00:00Z'}));
		expect(() => store.lock('20261127-abcd')).toThrow(new RegExp(`pid ${child.pid}`));
		const exited = new Promise(resolve => child.once('exit', resolve));
		child.kill('SIGKILL');
		await exited;
		const lock = store.lock('20261127-abcd');
		expect(JSON.parse(fs.readFileSync(lockFile, 'utf8')).pid).toBe(process.pid);
		lock.release();
		expect(fs.existsSync(lockFile)).toBe(false);
	});
});
