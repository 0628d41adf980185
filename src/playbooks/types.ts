import {UserError} from '../infra/errors.js';
import type {StepId} from '../core/model.js';
import type {ProviderPlaybook, StepPlaybook} from './schema.js';

export class PlaybookError extends UserError {
	constructor(
		readonly file: string,
		readonly field: string,
		readonly line: number | undefined,
		problem: string,
	) {
		super(`Broken playbook ${file}${line === undefined ? '' : `:${line}`}: ${field ? `field "${field}": ` : ''}${problem}`, 'Fix the file (see docs/playbook-authoring.md) and run leakfix again.');
	}
}

export type Playbooks = {
	steps: Record<StepId, StepPlaybook>;
	providers: ProviderPlaybook[];
};
