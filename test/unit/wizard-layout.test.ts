import {describe, expect, it} from 'vitest';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {focus, wizardLayout} from '../../src/ui/wizardLayout.js';
import type {WizardMode} from '../../src/ui/wizardUi.js';
import {makeSession} from './session-fixture.js';

const session = makeSession(fakeCloudSightKey());
const layout = (mode: WizardMode, height: number, columns = 80) =>
	wizardLayout({session, mode, height, columns, saveError: undefined, keyPresent: true, scan: {kind: 'idle'}, logs: {kind: 'idle'}, providerLogsNote: null, consent: {question: 'Send it?', request: 'GET https://api.example.com/v1/me'}, logsConsent: {display: '', why: ''}});

describe('the wizard layout', () => {
	it('gives the checklist what the terminal has left, at most 14 rows, never fewer than one', () => {
		expect(layout('browse', 60).rows).toBe(14);
		expect(layout('browse', 24).rows).toBeGreaterThanOrEqual(1);
		expect(layout('browse', 24).rows).toBeLessThan(14);
		expect(layout('browse', 5).rows).toBe(1);
	});

	it('an open prompt takes the explanation\'s place; the probe consent takes its own lines', () => {
		expect(layout('browse', 30).prompting).toBe(false);
		expect(layout('note', 30).prompting).toBe(true);
		expect(layout('help', 30).prompting).toBe(false);
		expect(layout('consent', 30).rows).toBeLessThanOrEqual(layout('note', 30).rows + 2);
		// On a short terminal the item's explanation shrinks to one line.
		expect(layout('browse', 16).compact).toBe(true);
		expect(layout('browse', 60).compact).toBe(false);
	});

	it('the cursor: the step and item the session points at', () => {
		const {step, cursor, item, progress} = focus(session);
		expect(step.id).toBe(session.cursor.step);
		expect(cursor).toBe(0);
		expect(item).toBe(step.items[0]);
		expect(progress.status).toBe('open');
	});
});
