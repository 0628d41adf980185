// The Rotate screen's dry run (l) and `leakfix rotate --dry-run` print the same plan, in the same
// words: both come from src/core/rotation-plan.ts.
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {InventoryEntry, Session} from '../../src/core/model.js';
import {createRedactor} from '../../src/core/secrets.js';
import {transition} from '../../src/core/session.js';
import {sessionsDir} from '../../src/infra/paths.js';
import {SessionStore} from '../../src/infra/store.js';
import {tempDir} from '../helpers/fs.js';
import {press, waitForText} from '../helpers/ink.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession} from '../unit/session-fixture.js';
import {harness} from './app-harness.js';

const entries: InventoryEntry[] = [
	{id: 'api', service: 'api', environment: 'prod', store: {type: 'vault', mount: 'secret', path: 'api', field: 'key'}, evidence: [], origin: 'manual', restart: ['kubectl', 'rollout', 'restart', 'deployment/api']},
	{id: 'web', service: 'web', environment: 'dev', store: {type: 'env-file', path: '.env', variable: 'CLOUDSIGHT_API_KEY'}, evidence: [], origin: 'manual'},
];

describe('the dry run', () => {
	it('the screen (l) shows the lines `leakfix rotate --dry-run` prints after its header', async () => {
		const key = fakeCloudSightKey();
		const home = tempDir();
		let session: Session = {...makeSession(key), severity: undefined, inventory: entries};
		session = transition(session, {type: 'cursor.moved', step: 'rotate', item: 0});
		new SessionStore(sessionsDir(home), createRedactor([key])).save(session);
		const env: NodeJS.ProcessEnv = {...process.env, LEAKFIX_HOME: home};
		delete env.CI;
		const cli = spawnSync(process.execPath, [path.resolve('bin/leakfix.js'), 'rotate', session.id, '--dry-run'], {encoding: 'utf8', env});
		expect(cli.status, cli.stderr).toBe(0);
		const plan = cli.stdout.trimEnd().split('\n').slice(1);
		expect(plan).toHaveLength(8); // the new key, two entries (3 + 2 lines), the deactivation, keeping the key out of code

		const h = harness(sessionsDir(home));
		const app = h.start({kind: 'open', session, lock: h.store.lock(session.id), key});
		await waitForText(app, 'Rotation:');
		await press(app, 'w');
		const frame = await press(app, 'l');
		// The frame wraps at its width: compare as words.
		const words = (text: string) => text.replace(/\s+/g, ' ').trim();
		expect(frame).toContain('Dry run: what step 4 would do, in order (nothing runs)');
		for (const line of plan) expect(words(frame)).toContain(words(line));
		app.unmount();
	});
});
