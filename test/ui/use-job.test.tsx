// useJob: one job at a time, its progress, its note or its (redacted) error, and Esc's cancel as
// the signal the work sees. Rendered through Ink, as the App's hooks use it.
import {Text} from 'ink';
import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {useJob, type Job, type JobControl} from '../../src/ui/useJob.js';
import {waitForText} from '../helpers/ink.js';

/** A component that shows the job's state and hands the job to the test. */
function harness() {
	const held: {job?: Job<number>} = {};
	function Probe() {
		const job = useJob<number>(text => text.replaceAll('s3cr3t', '…'));
		held.job = job;
		const state = job.state;
		return <Text>{state.kind === 'running' ? `running ${state.what}${state.progress === undefined ? '' : ` ${state.progress}%`}` : state.kind === 'failed' ? `failed: ${state.message}` : `idle${state.note ? `: ${state.note}` : ''}`}</Text>;
	}
	const app = render(<Probe />);
	return {app, job: () => held.job!};
}

/** Work the test finishes by hand. */
function controlled() {
	const calls: Array<{control: JobControl<number>; finish(note?: string): void; fail(error: Error): void}> = [];
	const work = (control: JobControl<number>) =>
		new Promise<string | void>((resolve, reject) => {
			calls.push({control, finish: resolve, fail: reject});
		});
	return {work, calls};
}

describe('useJob', () => {
	it('runs one job at a time, shows its progress and the note it leaves', async () => {
		const {app, job} = harness();
		const {work, calls} = controlled();
		const done = job().run('scanning', work);
		await waitForText(app, 'running scanning');
		expect(job().running()).toBe(true);
		// A second start while one is under way does nothing.
		void job().run('another', work);
		expect(calls).toHaveLength(1);
		calls[0]!.control.progress(40);
		await waitForText(app, 'running scanning 40%');
		calls[0]!.control.retitle('reading');
		await waitForText(app, 'running reading');
		calls[0]!.finish('found nothing');
		await done;
		await waitForText(app, 'idle: found nothing');
		expect(job().running()).toBe(false);
		expect(job().busy).toBeNull();
		app.unmount();
	});

	it('says what failed through the redactor, and clears it when the next job starts', async () => {
		const {app, job} = harness();
		const {work, calls} = controlled();
		const failed = job().run('probing', work);
		await waitForText(app, 'running probing');
		calls[0]!.fail(new Error('HTTP 401 for key s3cr3t'));
		await failed;
		await waitForText(app, 'failed: HTTP 401 for key …');
		expect(job().message).toEqual({text: 'HTTP 401 for key …', error: true});
		const again = job().run('probing again', work);
		await waitForText(app, 'running probing again');
		expect(job().message).toBeNull();
		calls[1]!.finish();
		await again;
		await waitForText(app, 'idle');
		app.unmount();
	});

	it('cancel aborts the signal the work holds; the work decides what it leaves', async () => {
		const {app, job} = harness();
		const {work, calls} = controlled();
		const cancelled = job().run('scanning', work);
		await waitForText(app, 'running scanning');
		const {signal} = calls[0]!.control;
		expect(signal.aborted).toBe(false);
		job().cancel();
		expect(signal.aborted).toBe(true);
		calls[0]!.finish('scan cancelled');
		await cancelled;
		await waitForText(app, 'idle: scan cancelled');
		// Nothing under way: cancel is a no-op, and say/clear set the message by hand.
		job().cancel();
		job().say('the key is needed', true);
		await waitForText(app, 'failed: the key is needed');
		job().clear();
		await waitForText(app, 'idle');
		app.unmount();
	});
});
