// A demo incident picked from the list: its fake services start before any screen of it shows;
// it shows where its fake key is, its probe goes to the demo's loopback origin, and a demo whose
// services cannot start is not opened (a notice, the lock released).
import fs from 'node:fs';
import path from 'node:path';
import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {createRedactor} from '../../src/core/secrets.js';
import {fixedClock} from '../../src/infra/clock.js';
import {UserError} from '../../src/infra/errors.js';
import {SessionStore} from '../../src/infra/store.js';
import {App, type DemoServices} from '../../src/ui/App.js';
import {enginePorts} from '../../src/ui/enginePorts.js';
import type {Session} from '../../src/core/model.js';
import {tempDir} from '../helpers/fs.js';
import {KEY, waitFor, waitForText} from '../helpers/ink.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession, playbooks} from '../unit/session-fixture.js';

afterEach(() => {
	cleanup();
});

function setUp(openDemo: (session: Session) => Promise<DemoServices>) {
	const clock = fixedClock(new Date('2026-11-27T12:00:00Z'));
	const redactor = createRedactor();
	const dir = path.join(tempDir(), 'incidents');
	const store = new SessionStore(dir, redactor, () => clock.now());
	const key = fakeCloudSightKey();
	const session = {...makeSession(key), demo: true, repoPath: '/tmp/leakfix-demo-x/image-tagger'};
	store.save(session);
	const opened: string[] = [];
	const app = render(
		<App
			deps={{store, playbooks, redactor, clock, cwd: '/srv/shop', ports: enginePorts(), openDemo: async demo => {
				opened.push(demo.id);
				return openDemo(demo);
			}}}
			start={{kind: 'pick'}}
			onDone={() => undefined}
		/>,
	);
	return {app, key, session, store, dir, opened};
}

describe('a demo incident picked from the list', () => {
	it('starts its fake services first: the key prompt says where the fake key is and the probe goes to their loopback origin', async () => {
		const services: DemoServices = {baseUrl: 'http://127.0.0.1:45678', dashboard: {issueKey: () => 'x', deactivate: () => undefined}, keyWhere: 'The demo\'s fake key is in /tmp/leakfix-demo-x/image-tagger/.env (CLOUDSIGHT_API_KEY=…).'};
		const {app, key, session, opened} = setUp(async () => services);
		await waitForText(app, '(demo)');
		app.stdin.write(KEY.enter);
		let frame = await waitForText(app, 'Re-enter the leaked key');
		expect(opened).toEqual([session.id]);
		expect(frame).toContain('Demo incident. The demo\'s fake key is in /tmp/leakfix-demo-x/image-tagger/.env');
		app.stdin.write(key);
		app.stdin.write(KEY.enter);
		await waitForText(app, 'Step 1 of 5');
		app.stdin.write('p');
		frame = await waitForText(app, 'Send this read-only request to CloudSight?');
		expect(frame).toContain('GET http://127.0.0.1:45678/v1/images/<random>');
		expect(frame).not.toContain('api.cloudsight.ai');
	});

	it('a demo whose services cannot start is not opened: the reason is a notice on the list and its lock is released', async () => {
		const {app, session, dir, opened} = setUp(async () => {
			throw new UserError('The demo\'s folder is gone: /tmp/leakfix-demo-x/image-tagger no longer exists.', 'Start a fresh demo: leakfix demo');
		});
		await waitForText(app, '(demo)');
		app.stdin.write(KEY.enter);
		const frame = await waitForText(app, 'The demo\'s folder is gone');
		expect(frame.replace(/\s+/g, ' ')).toContain('Start a fresh demo: leakfix demo');
		expect(frame).toContain('Incidents on this machine:');
		expect(opened).toEqual([session.id]);
		expect(fs.existsSync(path.join(dir, `incident-${session.id}.lock`))).toBe(false);
		// Picked again: tried again (the list listens anew), still refused, nothing left locked.
		app.stdin.write(KEY.enter);
		await waitFor(app, () => opened.length === 2, 'a second try');
		await waitFor(app, current => current.split('The demo\'s folder is gone').length === 3, 'the second notice');
		expect(fs.existsSync(path.join(dir, `incident-${session.id}.lock`))).toBe(false);
	});
});
