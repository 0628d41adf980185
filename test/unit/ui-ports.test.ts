// The UI reaches engines only through its ports (issue 13): the App, its hooks and the work tasks
// import engine types at most; the real engines are imported by src/ui/enginePorts.ts alone, which
// the composition root (run.tsx) builds. The harden flow too: its port (harden) is run by
// src/ui/rotate/hardenWork.ts.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {importsOf} from '../../scripts/import-graph.mjs';

const ui = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'ui');
const engineImports = (file: string) =>
	(importsOf(path.join(ui, file), readFileSync(path.join(ui, file), 'utf8')) as Array<{specifier: string; kind: string}>).filter(edge => /^(\.\.\/)+engines\//.test(edge.specifier) && edge.kind !== 'type');

describe('the UI reaches engines through ports', () => {
	it.each(['fromReport.tsx', 'App.tsx', 'Wizard.tsx', 'useIncident.ts', 'useAssess.ts', 'useLogsJob.ts', 'workTasks.ts', 'useJob.ts', 'appStart.ts', 'KeyPrompt.tsx', 'open.ts', 'WizardPrompt.tsx', 'StepBody.tsx', 'useWork.ts', 'rotate/hardenWork.ts', 'rotate/RotateScreen.tsx'])('%s imports no engine (types only)', file => {
		expect(engineImports(file)).toEqual([]);
	});

	it('the real ports import their engines lazily, but for the three the screens need synchronously', () => {
		const values = engineImports('enginePorts.ts').filter(edge => edge.kind === 'value').map(edge => edge.specifier);
		expect(values.sort()).toEqual(['../engines/access/plan.js', '../engines/logs/provider.js', '../engines/probe-request.js']);
	});
});
