// The Rotate step's one confirmation shows the pre-push guard and the CI job (as a diff) with the
// rest, and y writes them together: the hooks, the workflow, the committed guard; the record says so.
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {parse} from 'yaml';
import {describe, expect, it} from 'vitest';
import type {Session} from '../../src/core/model.js';
import {createRedactor} from '../../src/core/secrets.js';
import {transition} from '../../src/core/session.js';
import {SessionStore} from '../../src/infra/store.js';
import {tempDir} from '../helpers/fs.js';
import {KEY, press, waitForText} from '../helpers/ink.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession} from '../unit/session-fixture.js';
import {harness} from './app-harness.js';

describe('the guard beyond the laptop, on the Rotate step', () => {
	it('one confirmation lists the pre-commit and pre-push guards and the CI job as a diff; y installs all of them', async () => {
		const key = fakeCloudSightKey();
		const repo = tempDir();
		const git = (...args: string[]) => execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args]);
		git('init', '-q');
		fs.mkdirSync(path.join(repo, '.github', 'workflows'), {recursive: true});
		fs.writeFileSync(path.join(repo, '.github', 'workflows', 'test.yml'), 'name: test\non: push\njobs: {}\n');
		fs.writeFileSync(path.join(repo, 'README.md'), 'hello\n');
		git('add', '-A');
		git('commit', '-q', '-m', 'x');
		const h = harness(path.join(tempDir(), 'incidents'));
		let session: Session = {...makeSession(key), repoPath: repo};
		session = transition(session, {type: 'cursor.moved', step: 'rotate', item: 0});
		new SessionStore(h.dir, createRedactor([key])).save(session);
		const app = h.start({kind: 'open', session, lock: h.store.lock(session.id), key});
		await waitForText(app, 'Rotation:');
		await press(app, 'w');
		for (let i = 0; i < 2; i++) await press(app, KEY.down);
		await press(app, KEY.enter);
		await press(app, KEY.enter); // an environment variable
		const frame = await waitForText(app, 'No committed file holds the key.');
		// The frame wraps at its width: read it as one line.
		const text = frame.replace(/\s+/g, ' ');
		expect(text).toContain('.github/workflows/leakfix-guard.yml: a GitHub Actions job that fails when a pushed commit adds the key');
		expect(text).toContain('the guards in .git/hooks/pre-commit and .git/hooks/pre-push (pre-commit, and pre-push over the commits a push carries');
		expect(frame).toContain('the CI job, as a diff:');
		expect(frame).toContain('+++ b/.github/workflows/leakfix-guard.yml');
		expect(frame).not.toContain(key);
		await press(app, 'y');
		await waitForText(app, 'Keep the key out of code', 20_000);
		const deadline = Date.now() + 20_000;
		while (!h.store.load(session.id).hardening && Date.now() < deadline) await new Promise(resolve => setImmediate(resolve));
		const saved = h.store.load(session.id);
		expect(saved.hardening?.guard).toMatchObject({where: `${path.join('.git', 'hooks', 'pre-commit')} and ${path.join('.git', 'hooks', 'pre-push')}`, proven: true});
		expect(saved.hardening?.config).toContainEqual(expect.stringContaining('.github/workflows/leakfix-guard.yml'));
		expect(saved.hardening?.configPending).toEqual([]);
		expect(fs.existsSync(path.join(repo, '.git', 'hooks', 'pre-push'))).toBe(true);
		const workflow = parse(fs.readFileSync(path.join(repo, '.github', 'workflows', 'leakfix-guard.yml'), 'utf8')) as {jobs: Record<string, unknown>};
		expect(Object.keys(workflow.jobs)).toEqual(['leakfix-guard']);
		expect(fs.readFileSync(path.join(repo, '.leakfix', 'guard.mjs'), 'utf8')).not.toContain(key);
	});
});
