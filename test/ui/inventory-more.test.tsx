// Discovery in more repositories and for more variable names, from the Inventory screen.
import fs from 'node:fs';
import path from 'node:path';
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

describe('the inventory screen', () => {
	it('discovers in another repository and for another variable name (I)', async () => {
		const key = fakeCloudSightKey();
		const main = tempDir();
		const other = tempDir();
		fs.writeFileSync(path.join(main, 'package.json'), JSON.stringify({name: 'web'}));
		fs.writeFileSync(path.join(main, 'app.js'), 'fetch(url, {headers: {k: process.env.CLOUDSIGHT_API_KEY}});\n');
		fs.writeFileSync(path.join(other, 'package.json'), JSON.stringify({name: 'worker'}));
		fs.writeFileSync(path.join(other, '.env'), 'TAGGER_TOKEN=x\n');
		const h = harness(path.join(tempDir(), 'incidents'));
		let session: Session = {...makeSession(key), repoPath: main};
		session = transition(session, {type: 'cursor.moved', step: 'inventory', item: 0});
		new SessionStore(h.dir, createRedactor([key])).save(session);
		const app = h.start({kind: 'open', session, lock: h.store.lock(session.id), key});
		await waitForText(app, 'No consumers listed yet');
		await press(app, 'w');
		let frame = await press(app, 'I');
		expect(frame).toContain('Other repositories');
		await press(app, other);
		await press(app, KEY.enter);
		await press(app, 'TAGGER_TOKEN');
		await press(app, KEY.enter);
		await press(app, KEY.enter); // no organisation to search
		frame = await waitForText(app, 'Inventory: 2 consumers');
		expect(frame).toContain('worker');
		expect(frame).toContain(`${path.join(other, '.env')} TAGGER_TOKEN`);
		expect(frame).toContain('web');
	});
});
