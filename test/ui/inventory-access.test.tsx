// Who can read it, on the Inventory screen: the first r shows the read-only commands (nothing
// runs), the second runs them through a recording stub; the readers show under the entry.
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {Session} from '../../src/core/model.js';
import {createRedactor} from '../../src/core/secrets.js';
import {transition} from '../../src/core/session.js';
import {SessionStore} from '../../src/infra/store.js';
import {tempDir} from '../helpers/fs.js';
import {press, waitForText} from '../helpers/ink.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {withPath} from '../helpers/stubs.js';
import {makeSession} from '../unit/session-fixture.js';
import {harness} from './app-harness.js';

function vaultStub() {
	const dir = tempDir('leakfix-stubs-');
	const log = path.join(dir, 'vault.calls');
	fs.writeFileSync(
		path.join(dir, 'vault'),
		['#!/bin/sh', `printf '%s\\n' "$*" >> '${log}'`, 'case "$*" in', `  'policy list -format=json') echo '["shop-read"]';;`, `  'policy read shop-read') printf 'path "secret/data/shop/*" {\\n  capabilities = ["read"]\\n}\\n';;`, '  *) exit 64;;', 'esac', ''].join('\n'),
		{mode: 0o755},
	);
	return {dir, calls: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : [])};
}

describe('the inventory screen: who can read it', () => {
	it('r shows the commands first, r again runs them, and the readers show under the entry (saved)', async () => {
		const key = fakeCloudSightKey();
		const stub = vaultStub();
		await withPath(stub.dir, async () => {
			const h = harness(path.join(tempDir(), 'incidents'));
			let session: Session = {...makeSession(key), repoPath: tempDir()};
			session = transition(session, {type: 'inventory.saved', at: '2026-11-27T12:10:00.000Z', entry: {id: 'svc-1', service: 'shop-api', environment: 'prod', store: {type: 'vault', mount: 'secret', path: 'shop/prod', field: 'k'}, evidence: [], origin: 'manual'}});
			session = transition(session, {type: 'cursor.moved', step: 'inventory', item: 0});
			new SessionStore(h.dir, createRedactor([key])).save(session);
			const app = h.start({kind: 'open', session, lock: h.store.lock(session.id), key});
			await press(app, 'w');
			let frame = await waitForText(app, 'Who can read it: not read yet (r)');
			await press(app, 'r');
			frame = await waitForText(app, 'r again runs (read-only): vault policy list -format=json');
			expect(stub.calls()).toEqual([]);
			await press(app, 'r');
			frame = await waitForText(app, 'Who can read it: 1 reader (1 not reviewed)');
			expect(frame).toContain('[not reviewed] Vault policy shop-read');
			expect(stub.calls()).toEqual(['policy list -format=json', 'policy read shop-read']);
			expect(h.store.load(session.id).inventory![0]!.access!.findings).toMatchObject([{who: 'Vault policy shop-read', verdict: 'open'}]);
			app.unmount();
		});
	});
});
