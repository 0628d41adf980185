// Renders the real App with a real store in a temp folder, the shipped playbooks and a fixed clock.
import path from 'node:path';
import {cleanup, render} from 'ink-testing-library';
import {afterEach} from 'vitest';
import {createRedactor} from '../../src/core/secrets.js';
import {fixedClock} from '../../src/infra/clock.js';
import {SessionStore} from '../../src/infra/store.js';
import {loadPlaybooks} from '../../src/playbooks/load.js';
import {App, type AppStart, type Outcome, type ProbePort, type ScanPort} from '../../src/ui/App.js';
import {enginePorts} from '../../src/ui/enginePorts.js';
import {tempDir} from '../helpers/fs.js';

afterEach(() => {
	cleanup();
});

const playbooks = await loadPlaybooks();

export function harness(dir = path.join(tempDir(), 'incidents'), scan?: ScanPort, probe?: ProbePort) {
	const clock = fixedClock(new Date('2026-11-27T12:00:00Z'));
	const redactor = createRedactor();
	const store = new SessionStore(dir, redactor, () => clock.now());
	const outcomes: Outcome[] = [];
	const start = (appStart: AppStart, pipedKey?: string) =>
		render(
			<App
				deps={{store, playbooks, redactor, clock, cwd: '/srv/shop', ports: {...enginePorts(), ...(scan ? {scan} : {}), ...(probe ? {probe} : {})}}}
				start={appStart}
				{...(pipedKey === undefined ? {} : {pipedKey})}
				onDone={outcome => outcomes.push(outcome)}
			/>,
		);
	return {dir, clock, redactor, store, outcomes, start};
}
