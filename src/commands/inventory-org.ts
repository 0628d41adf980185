// `leakfix inventory --org ORG`: the organisation search's candidates, in words.
import {visible, visibleBlock} from '../core/text.js';
import type {OrgSearch} from '../engines/inventory/org.js';

const ENGINE_NAMES = {'github-code-search': 'GitHub code search (gh search code)', sourcegraph: 'Sourcegraph (src search)', 'github-secret-scanning': 'GitHub secret-scanning alerts (gh api)'} as const;

export function renderOrgText(result: OrgSearch): string {
	const out: string[] = [`Searched the ${visible(result.org)} organisation for ${result.terms.map(term => visible(term)).join(', ')} (names and the key's id, never the key itself).`];
	for (const engine of result.engines) out.push(`  ${ENGINE_NAMES[engine.engine]}: ${engine.status} — ${visible(engine.detail)}`);
	if (result.candidates.length === 0) {
		out.push('', 'No candidates found.');
		if (result.engines.some(engine => engine.status !== 'complete')) out.push('Not every search ran to the end (above): "no candidates" is not "not used".');
		return visibleBlock(`${out.join('\n')}\n`);
	}
	const repos = [...new Set(result.candidates.map(candidate => candidate.repo))];
	out.push('', `${result.candidates.length} candidate${result.candidates.length === 1 ? '' : 's'} in ${repos.length} repositor${repos.length === 1 ? 'y' : 'ies'} — each one a place to confirm, not a proven consumer:`);
	for (const repo of repos) {
		out.push(`  ${visible(repo)}`);
		for (const candidate of result.candidates.filter(entry => entry.repo === repo)) {
			const where = candidate.file === undefined ? '(the repository)' : `${visible(candidate.file)}${candidate.line === undefined ? '' : `:${candidate.line}`}`;
			out.push(`      ${where}  [${visible(candidate.matched)}; ${ENGINE_NAMES[candidate.engine].split(' (')[0]}]${candidate.url ? `  ${visible(candidate.url)}` : ''}`);
		}
	}
	if (result.engines.some(engine => engine.status !== 'complete')) out.push('', 'Partial: not every search ran to the end (above); there may be more.');
	out.push('', 'Add the consumers you confirm in step 3 of the wizard (leakfix resume, then a).');
	return visibleBlock(`${out.join('\n')}\n`);
}
