import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		globalSetup: ['test/helpers/global-setup.ts'],
		env: {FORCE_COLOR: '0'},
		testTimeout: 30_000,
		hookTimeout: 60_000,
		// e2e tests drive tmux and real processes; two workers on a two-core machine.
		maxWorkers: 2,
		reporters: ['default', './test/helpers/summary-reporter.ts'],
	},
});
