// The assess panel's first-exposure line names the refs that reach the commit and whether the
// key is still in that file; a session saved before these facts existed still loads and shows.
import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {exposureSummarySchema, type ExposureSummary} from '../../src/core/model.js';
import {assessPanelLines} from '../../src/ui/AssessPanel.js';
import {ExposurePanel} from '../../src/ui/ExposurePanel.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession} from '../unit/session-fixture.js';

function summary(first: Record<string, unknown>): ExposureSummary {
	return exposureSummarySchema.parse({
		scannedAt: '2026-03-03T00:00:00.000Z',
		repos: [
			{
				repo: '/srv/shop',
				objects: 10,
				files: 3,
				durationMs: 5,
				historyCount: 1,
				worktreeCount: 0,
				firstExposure: {commit: 'abcdef1234567890', author: 'Bo Leaker', date: '2026-01-10T09:30:00.000Z', where: 'build.cfg:1', pushed: false, remoteRefs: [], ...first},
				remotes: [],
				warnings: [],
				places: [],
				worktreeFiles: [],
			},
		],
	});
}

describe('the first exposure on the assess panel', () => {
	it('names the tag that reaches it and the commit that took the key out', () => {
		const {lastFrame} = render(
			<ExposurePanel scan={{kind: 'idle'}} keyPresent repo="/srv/shop" summary={summary({refs: ['refs/tags/v0.9-rc'], removedIn: {commit: '1234567890abcdef', author: 'Ada Dev', date: '2026-01-12T09:00:00.000Z'}})} />,
		);
		expect(lastFrame()).toContain('That commit is on tag v0.9-rc · in that file: removed in 1234567890 on 2026-01-12 by Ada Dev');
	});

	it('says when the key is still in the file, and shows a session from before these facts as it was', () => {
		const still = render(<ExposurePanel scan={{kind: 'idle'}} keyPresent repo="/srv/shop" summary={summary({refs: ['refs/heads/main'], removedIn: null})} />);
		expect(still.lastFrame()).toContain('That commit is on main · in that file: still in the file');
		const old = render(<ExposurePanel scan={{kind: 'idle'}} keyPresent repo="/srv/shop" summary={summary({})} />);
		expect(old.lastFrame()).toContain('(build.cfg:1) · not pushed');
		expect(old.lastFrame()).not.toContain('That commit is');
	});

	it('budgets the extra line in the wizard\'s height (the panel draws what assessPanelLines counts)', () => {
		const withFacts = summary({refs: ['refs/heads/main'], removedIn: null});
		const without = summary({});
		const lines = (exposure: ExposureSummary) => assessPanelLines({...makeSession(fakeCloudSightKey()), exposure}, {kind: 'idle'});
		expect(lines(withFacts)).toBe(lines(without) + 1);
		const frame = (exposure: ExposureSummary) => render(<ExposurePanel scan={{kind: 'idle'}} keyPresent repo="/srv/shop" summary={exposure} />).lastFrame()!.split('\n').length;
		expect(frame(withFacts)).toBe(frame(without) + 1);
	});
});
