// Build-time: the shipped playbooks, checked, with the hash of every source file.
import {playbookSources, type CompiledPlaybooks} from './load.js';
import {parsePlaybooks} from './parse.js';

export function compilePlaybooks(dir: string): CompiledPlaybooks {
	return {sources: playbookSources(dir), playbooks: parsePlaybooks(dir)};
}
