// Builds dist/ once, so the e2e and CLI tests run the code under test, not a stale build.
import {execFileSync} from 'node:child_process';

export default function setup(): void {
	execFileSync(process.execPath, ['scripts/build.mjs'], {stdio: 'ignore'});
}
