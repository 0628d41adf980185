// Step 3's "Discover in more places" (I) with a GitHub organisation: gh search code and the org's
// alerts (a recording gh stub on PATH) add one entry per repository to confirm, said as such.
import {describe, expect, it} from 'vitest';
import type {Session} from '../../src/core/model.js';
import {createRedactor} from '../../src/core/secrets.js';
import {transition} from '../../src/core/session.js';
import {SessionStore} from '../../src/infra/store.js';
import {tempDir} from '../helpers/fs.js';
import {ghApiStub} from '../helpers/gh-api-stub.js';
import {KEY, press, waitForText} from '../helpers/ink.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {withPath} from '../helpers/stubs.js';
import {makeSession} from '../unit/session-fixture.js';
import {harness} from './app-harness.js';
import path from 'node:path';

describe('the inventory screen, organisation search', () => {
	it('adds the organisation\'s repositories as entries to confirm, and says what did not complete', async () => {
		const key = fakeCloudSightKey();
		const gh = ghApiStub({
			'argv:search code CLOUDSIGHT_API_KEY --owner acme --json path,repository,url --limit 100': {
				body: JSON.stringify([{path: 'deploy/values.yaml', repository: {nameWithOwner: 'acme/tagger'}, url: 'https://github.com/acme/tagger/blob/abc/deploy/values.yaml'}]),
			},
			'argv:search code CLOUDSIGHT_KEY --owner acme --json path,repository,url --limit 100': {body: '[]'},
			'argv:search code CLOUDSIGHT_API_SECRET --owner acme --json path,repository,url --limit 100': {body: '[]'},
			'orgs/acme/secret-scanning/alerts?state=open&per_page=100': {error: 'gh: Must be an organization owner. (HTTP 403)'},
		});
		const h = harness(path.join(tempDir(), 'incidents'));
		let session: Session = {...makeSession(key), repoPath: tempDir()};
		session = transition(session, {type: 'cursor.moved', step: 'inventory', item: 0});
		new SessionStore(h.dir, createRedactor([key])).save(session);
		await withPath(gh.dir, async () => {
			const saved = process.env.SRC_ENDPOINT;
			delete process.env.SRC_ENDPOINT;
			try {
				const app = h.start({kind: 'open', session, lock: h.store.lock(session.id), key});
				await waitForText(app, 'No consumers listed yet');
				await press(app, 'w');
				await press(app, 'I');
				await press(app, KEY.enter); // no other repositories
				await press(app, KEY.enter); // no other variable names
				await waitForText(app, 'A GitHub organisation to search');
				await press(app, 'acme');
				await press(app, KEY.enter);
				const frame = await waitForText(app, 'acme/tagger', 8000);
				expect(frame.replace(/\s+/g, ' ')).toContain('Discovery proposed 0 consumer(s); acme: 1 repository to confirm; not complete: github-secret-scanning failed (gh: Must be an organization owner. (HTTP 403) (only organisation owners and security managers can list them;');
			} finally {
				if (saved !== undefined) process.env.SRC_ENDPOINT = saved;
			}
		});
		const stored = h.store.load(session.id);
		expect(stored.inventory).toEqual([
			expect.objectContaining({service: 'acme/tagger', environment: 'unknown', origin: 'discovered', store: {type: 'manual', text: 'Confirm acme/tagger uses this key (found by CLOUDSIGHT_API_KEY) and where its copy is stored, then edit this entry\'s store'}, evidence: ['acme/tagger/deploy/values.yaml https://github.com/acme/tagger/blob/abc/deploy/values.yaml (github-code-search: CLOUDSIGHT_API_KEY)']}),
		]);
		expect(JSON.stringify(gh.calls())).not.toContain(key);
	});
});
