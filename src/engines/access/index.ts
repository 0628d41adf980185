// Who can read each store's copy of the key, through the user's own CLIs and read-only commands
// only (no secret in any of them; each is shown before it runs: accessPlan). What a CLI cannot
// tell, or leakfix does not read, is said plainly in `unread`.
import fs from 'node:fs';
import type {FoundReader} from '../../core/access.js';
import type {Store} from '../../core/model.js';
import {visible} from '../../core/text.js';
import {runCommand, type CommandRunner} from '../../infra/command.js';
import {UserError} from '../../infra/errors.js';
import {conjurPermittedRoles, type ConjurContext} from '../conjur.js';
import {lines, parseAwsResourcePolicy, parseKubernetesAccess, parseVaultPolicy, parseVaultPolicyList, vaultReadPaths} from './parse.js';
import {awsArgs, githubSteps, kubeArgs, shown} from './plan.js';

export {accessPlan} from './plan.js';

export type AccessReading = {commands: string[]; readers: FoundReader[]; unread: string[]};

type Options = {run?: CommandRunner; cwd?: string; conjur?: ConjurContext; redact?: (text: string) => string};

const failure = (bin: string, result: {exitCode: number; stderr: string; stdout: string}, redact: (text: string) => string) =>
	`${bin} exited ${result.exitCode}: ${visible(redact(`${result.stderr}\n${result.stdout}`).trim().split('\n').find(line => line.trim()) ?? 'no output').slice(0, 200)}`;

/** Runs the store's readers. Never throws for a CLI's refusal: that is a line in `unread`. */
export async function readAccess(store: Store, options: Options = {}): Promise<AccessReading> {
	const run = options.run ?? runCommand;
	const redact = options.redact ?? ((text: string) => text);
	const commands: string[] = [];
	const exec = async (bin: string, args: string[]) => {
		commands.push(shown(bin, args));
		try {
			return await run(bin, args, {input: '', redact, ...(options.cwd ? {cwd: options.cwd} : {})});
		} catch (error) {
			if (error instanceof UserError) return {exitCode: 127, stdout: '', stderr: error.message};
			throw error;
		}
	};
	switch (store.type) {
		case 'aws-sm': {
			const result = await exec('aws', awsArgs(store));
			if (result.exitCode !== 0) return {commands, readers: [], unread: [`the secret's resource policy: ${failure('aws', result, redact)}`, 'IAM identities whose own policies allow GetSecretValue (not read by leakfix)']};
			const {readers, unread} = parseAwsResourcePolicy(result.stdout);
			return {commands, readers, unread};
		}

		case 'vault': {
			const listed = await exec('vault', ['policy', 'list', '-format=json']);
			if (listed.exitCode !== 0) return {commands, readers: [], unread: [`the Vault policies: ${failure('vault', listed, redact)}`]};
			const names = parseVaultPolicyList(listed.stdout);
			const readers: FoundReader[] = [];
			const unread: string[] = [];
			const paths = vaultReadPaths(store.mount, store.path);
			for (const name of names.slice(0, 200)) {
				if (name === 'root') {
					readers.push({kind: 'policy', who: 'Vault policy root', how: 'every capability on every path (root tokens)'});
					continue;
				}
				const read = await exec('vault', ['policy', 'read', name]);
				if (read.exitCode !== 0) {
					unread.push(`policy ${visible(name)}: ${failure('vault', read, redact)}`);
					continue;
				}
				const found = parseVaultPolicy(name, read.stdout, paths);
				if (found && 'denied' in found) unread.push(found.denied);
				else if (found) readers.push(found);
			}
			if (names.length > 200) unread.push(`${names.length - 200} more policies not read (the first 200 were)`);
			unread.push('which tokens, entities and auth roles hold these policies (vault read auth/<method>/role/<name>; not read by leakfix)');
			return {commands, readers, unread};
		}

		case 'github-actions': {
			const steps = githubSteps(store);
			if (steps.length === 0) return {commands, readers: [], unread: ['the entry names no repository: edit it (owner/name, or org:NAME) to read who can use it']};
			if (store.org) {
				const visibility = await exec('gh', steps[0]!);
				if (visibility.exitCode !== 0) return {commands, readers: [], unread: [`the organisation secret's visibility: ${failure('gh', visibility, redact)}`]};
				const value = visibility.stdout.trim();
				const org = store.org;
				if (value === 'all') return {commands, readers: [{kind: 'repository', who: `every repository of ${org}`, how: 'visibility all: any workflow in any of them can read it'}], unread: []};
				if (value === 'private') return {commands, readers: [{kind: 'repository', who: `every private and internal repository of ${org}`, how: 'visibility private: any workflow in them can read it'}], unread: []};
				if (value !== 'selected') return {commands, readers: [], unread: [`gh answered the visibility "${visible(value.slice(0, 40))}", not all, private or selected`]};
				const repos = await exec('gh', steps[1]!);
				if (repos.exitCode !== 0) return {commands, readers: [], unread: [`the repositories it is shared with: ${failure('gh', repos, redact)}`]};
				return {commands, readers: lines(repos.stdout).map(repo => ({kind: 'repository' as const, who: repo, how: `selected repository of the organisation secret ${store.name}: its workflows can read it`})), unread: ['the admins of each of those repositories (not read: one call per repository)']};
			}
			const admins = await exec('gh', steps[0]!);
			if (admins.exitCode !== 0) return {commands, readers: [], unread: [`the repository's admins: ${failure('gh', admins, redact)}`]};
			return {
				commands,
				readers: lines(admins.stdout).map(login => ({kind: 'admin' as const, who: login, how: `admin of ${store.repo}: can change the secret and run a workflow that reads it`})),
				unread: [`anyone with write access to ${store.repo} can push a workflow that uses the secret${store.environment ? ` (unless the environment ${store.environment} has required reviewers or branch rules)` : ''}: not listed`],
			};
		}

		case 'kubernetes': {
			const local = await exec('kubectl', kubeArgs(store, false));
			if (local.exitCode !== 0) return {commands, readers: [], unread: [`the Roles and RoleBindings of ${store.namespace}: ${failure('kubectl', local, redact)}`]};
			const cluster = await exec('kubectl', kubeArgs(store, true));
			const unread = cluster.exitCode === 0 ? [] : [`ClusterRoles and ClusterRoleBindings: ${failure('kubectl', cluster, redact)}`];
			unread.push('anyone who can create Pods or exec into them in the namespace can also read it (not listed)');
			return {commands, readers: parseKubernetesAccess(local.stdout, cluster.exitCode === 0 ? cluster.stdout : null, store.namespace, store.name), unread};
		}

		case 'env-file': {
			commands.push(`stat ${store.path}`);
			let stat: fs.Stats;
			try {
				stat = fs.statSync(store.path);
			} catch (error) {
				return {commands, readers: [], unread: [`${visible(store.path)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`]};
			}
			const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
			const readers: FoundReader[] = [{kind: 'file', who: `the file's owner (uid ${stat.uid})`, how: `${store.path} is mode ${mode}`}];
			if (stat.mode & 0o040) readers.push({kind: 'file', who: `group ${stat.gid}`, how: `${store.path} is mode ${mode}: group-readable (chmod 600 to restrict)`});
			if (stat.mode & 0o004) readers.push({kind: 'file', who: 'every user of this machine', how: `${store.path} is mode ${mode}: world-readable (chmod 600 to restrict)`});
			return {commands, readers, unread: ['root, and anything running as the owner, can read it too']};
		}

		case 'conjur': {
			const answer = await conjurPermittedRoles(store.variableId, options.conjur ?? {});
			commands.push(answer.request);
			if (!answer.ok) return {commands, readers: [], unread: [`the roles permitted to fetch it: ${visible(redact(answer.reason))}`]};
			return {commands, readers: answer.roles.map(role => ({kind: 'principal' as const, who: role, how: `holds execute on variable:${store.variableId} (can fetch its value)`})), unread: []};
		}

		case 'manual':
			return {commands, readers: [], unread: ['a store leakfix does not know: who can read it is for you to check']};
	}
}
