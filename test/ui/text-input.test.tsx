import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {TextInput} from '../../src/ui/widgets/TextInput.js';
import {settle} from '../helpers/ink.js';

describe('the text input', () => {
	it('applies a Backspace that arrives in the same chunk as typed text (keys faster than frames)', async () => {
		const values: string[] = [];
		let value = '';
		const app = render(<TextInput mask label="Key:" value={value} onChange={next => { value = next; values.push(next); }} onSubmit={() => undefined} />);
		await settle();
		app.stdin.write('abc\u007F\u007Fde');
		await settle();
		expect(values.at(-1)).toBe('ade');
		app.unmount();
	});
});
