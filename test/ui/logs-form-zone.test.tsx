// The log form's "since" without a zone is read in the zone given for the logs (the last answer),
// not the machine's: with TZ=America/New_York and Europe/Berlin, 2025-10-16 00:00 is 22:00Z.
import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {LogsForm, type LogsRequest} from '../../src/ui/LogsForm.js';
import {KEY, press, waitForText} from '../helpers/ink.js';

describe('the log form reads --since in the logs\' zone', () => {
	it('a time without a zone is read in the zone of the business-hours answer', async () => {
		const before = process.env.TZ;
		process.env.TZ = 'America/New_York';
		try {
			let request: LogsRequest | undefined;
			const app = render(
				<LogsForm
					defaults={{files: 'access.log', since: '2025-10-16 00:00', sinceHint: '', allow: '', hours: '08-19 Europe/Berlin'}}
					matchOptions={[{key: 'key', label: 'the key', value: 'key'}]}
					now={new Date('2025-11-01T00:00:00Z')}
					redact={text => text}
					onSubmit={submitted => {
						request = submitted;
					}}
					onCancel={() => undefined}
					onQuit={() => undefined}
				/>,
			);
			await waitForText(app, 'access.log');
			// Each stage closes on its own Enter (a key that closes a prompt is not also the next one's).
			for (let i = 0; i < 10 && request === undefined; i++) await press(app, KEY.enter, {expectChange: false});
			expect(request?.timeZone).toBe('Europe/Berlin');
			expect(new Date(request!.exposureStart).toISOString()).toBe('2025-10-15T22:00:00.000Z');
			app.unmount();
		} finally {
			if (before === undefined) delete process.env.TZ;
			else process.env.TZ = before;
		}
	});
});
