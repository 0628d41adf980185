// Config hygiene (the variable's name in the project's env template, .env files ignored) and the
// secret scanners already installed, to wire beside the guard.
import fs from 'node:fs';
import path from 'node:path';
import {runCommand} from '../../infra/command.js';
import type {WriteJournal} from './journal.js';

/** `.env.example` gains the variable without a value; `.env` is ignored. Returns what changed. */
export async function configHygiene(repo: string, variable: string, journal: WriteJournal | null): Promise<string[]> {
	const apply = journal !== null;
	const done: string[] = [];
	// The project's own template, if it has one (.env.sample, .env.template, .env.dist).
	const template = ['.env.example', '.env.sample', '.env.template', '.env.dist'].find(name => fs.existsSync(path.join(repo, name))) ?? '.env.example';
	const example = path.join(repo, template);
	const current = fs.existsSync(example) ? fs.readFileSync(example, 'utf8') : '';
	if (!new RegExp(`^\\s*${variable}\\s*=`, 'm').test(current)) {
		done.push(`${template}: add ${variable}= (the name, never a value)`);
		if (apply) journal.write(example, `${current}${current && !current.endsWith('\n') ? '\n' : ''}${variable}=\n`);
	}
	// .env, and .env.<anything> files present (not templates), that git does not ignore yet.
	const present = fs.readdirSync(repo).filter(name => /^\.env(\..+)?$/.test(name) && !/\.(example|sample|template|dist)$/.test(name));
	void template;
	const candidates = [...new Set(['.env', ...present])];
	const unignored: string[] = [];
	for (const name of candidates) {
		const ignored = await runCommand('git', ['-C', repo, 'check-ignore', '-q', '--no-index', name], {cwd: repo});
		if (ignored.exitCode !== 0) unignored.push(name);
	}
	if (unignored.length > 0) {
		const lines = [...(unignored.includes('.env') ? ['.env'] : []), ...(unignored.some(name => name !== '.env') ? ['.env.*', `!${template}`] : [])];
		done.push(`.gitignore: add ${lines.join(' ')}${unignored.some(name => present.includes(name) && name !== '.env') ? ` (${unignored.filter(name => name !== '.env').join(', ')} would be committed otherwise)` : ''}`);
		if (apply) {
			const file = path.join(repo, '.gitignore');
			const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
			journal.write(file, `${text}${text && !text.endsWith('\n') ? '\n' : ''}${lines.join('\n')}\n`);
		}
	}
	return done;
}

/** Secret scanners on PATH, and how to wire each instead (or as well). */
export async function scannersOnPath(): Promise<string[]> {
	const { resolveBinary } = await import('../../infra/command.js');
	const advice: Record<string, string> = {
		gitleaks: 'gitleaks: pre-commit hook `gitleaks protect --staged`; in CI the gitleaks/gitleaks-action',
		ggshield: 'ggshield: pre-commit hook `ggshield secret scan pre-commit`; in CI `ggshield secret scan ci`',
		trufflehog: 'trufflehog: pre-commit hook `trufflehog git file://. --since-commit HEAD --fail`; in CI trufflesecurity/trufflehog action',
	};
	const found: string[] = [];
	for (const [name, text] of Object.entries(advice)) {
		try {
			resolveBinary(name);
			found.push(text);
		} catch {}
	}
	return found;
}
