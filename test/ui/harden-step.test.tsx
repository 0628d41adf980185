// Keeping the key out of code from the Rotate step: the store, then file by file (diff, y/n),
// then .env.example, .gitignore and the guard; the report says so.
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {Session} from '../../src/core/model.js';
import {renderReport} from '../../src/core/report.js';
import {createRedactor} from '../../src/core/secrets.js';
import {transition} from '../../src/core/session.js';
import {SessionStore} from '../../src/infra/store.js';
import {tempDir} from '../helpers/fs.js';
import {KEY, press, waitForText} from '../helpers/ink.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession} from '../unit/session-fixture.js';
import {harness} from './app-harness.js';

describe('prevent recurrence on the Rotate step', () => {
	it('rewrites the files the responder accepts, leaves the rest with a snippet, installs the guard, and reports it', async () => {
		const key = fakeCloudSightKey();
		const repo = tempDir();
		const git = (...args: string[]) => execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args]);
		git('init', '-q');
		fs.writeFileSync(path.join(repo, 'client.js'), `export const KEY = "${key}";\n`);
		fs.writeFileSync(path.join(repo, 'settings.yaml'), `key: ${key}\n`);
		git('add', '-A');
		git('commit', '-q', '-m', 'x');
		const h = harness(path.join(tempDir(), 'incidents'));
		let session: Session = {...makeSession(key), repoPath: repo};
		session = transition(session, {type: 'cursor.moved', step: 'rotate', item: 0});
		new SessionStore(h.dir, createRedactor([key])).save(session);
		const app = h.start({kind: 'open', session, lock: h.store.lock(session.id), key});
		await waitForText(app, 'Rotation:');
		await press(app, 'w');
		for (let i = 0; i < 2; i++) await press(app, KEY.down); // contain first, the new key, then this
		let frame = await press(app, KEY.enter);
		expect(frame).toContain('Where will the services read the key from?');
		await press(app, KEY.enter); // an environment variable
		frame = await waitForText(app, '1/2 client.js (javascript, line 1)');
		expect(frame).toContain('+export const KEY = process.env.CLOUDSIGHT_API_KEY;');
		expect(frame).not.toContain(key);
		frame = await press(app, '3'); // this service reads it from Vault
		frame = await waitForText(app, 'set from HashiCorp Vault KV v2');
		frame = await press(app, 'y');
		expect(frame).toContain('2/2 settings.yaml');
		expect(frame).toContain('Not rewritten: line 1: not a language leakfix rewrites');
		frame = await press(app, 'n');
		expect(frame).toContain('1 file(s) rewritten to read CLOUDSIGHT_API_KEY');
		await press(app, 'y');
		frame = await waitForText(app, '[✎] Keep the key out of code', 20_000); // the guard's proof runs node five times
		expect(fs.readFileSync(path.join(repo, 'client.js'), 'utf8')).not.toContain(key);
		expect(fs.readFileSync(path.join(repo, 'settings.yaml'), 'utf8')).toContain(key); // left, with the snippet shown
		expect(fs.existsSync(path.join(repo, '.git', 'hooks', 'pre-commit'))).toBe(true);
		const saved = h.store.load(session.id);
		expect(saved.hardening?.files.map(file => [file.file, file.status, file.store ?? null])).toEqual([
			['client.js', 'rewritten', 'vault'],
			['settings.yaml', 'manual', null],
		]);
		const md = renderReport(saved, 'md', '2026-11-27T13:00:00.000Z', createRedactor([key]));
		expect(md).toContain('- De-hard-coded client.js (line 1), reads from HashiCorp Vault');
		expect(fs.readFileSync(path.join(repo, 'client.js'), 'utf8')).toContain('// CLOUDSIGHT_API_KEY is set from HashiCorp Vault KV v2');
		expect(md).toContain('- **By hand:** settings.yaml (line 1) — not a language leakfix rewrites');
		expect(md).not.toContain(key);
	});
});
