// A Dockerfile that bakes the key into the image is named in the inventory: COPY/ADD of an env
// file, ENV of the key's variable, ARG of it (recorded in the image's history).
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {detectReferences} from '../../src/engines/inventory/detect.js';
import {discoverInventory} from '../../src/engines/inventory/index.js';
import {tempDir} from '../helpers/fs.js';
import {fakeCloudSightKey} from '../helpers/keys.js';

const V = 'CLOUDSIGHT_API_KEY';
const DOCKERFILE = [
	'FROM node:20 AS build', // 1
	`ARG ${V}`, // 2
	'COPY package.json .env ./', // 3
	'COPY --chown=node:node .env.production /app/.env', // 4
	'COPY .env.example /app/', // 5: a template, names only
	'COPY --from=build /app/.env /app/', // 6: from a stage, not the context
	`ENV NODE_ENV=production ${V}=\${${V}}`, // 7
	'ADD ["config/prod.env", "/etc/app/"]', // 8
	`RUN --mount=type=secret,id=${V} \\`, // 9
	'    make build', // 10
	`ENV ${V} legacy-form`, // 11
	'ENV OTHER=1', // 12
	'',
].join('\n');

describe('Dockerfiles in the inventory', () => {
	it('names COPY/ADD of an env file, ENV and ARG of the key\'s variable, each with its line and what to do', () => {
		const refs = detectReferences('services/api/Dockerfile', DOCKERFILE, [V]).filter(ref => ref.store);
		expect(refs.map(ref => [ref.line, ref.envVar, ref.store?.type === 'manual' ? ref.store.text.split(' ').slice(0, 2).join(' ') : null])).toEqual([
			[2, V, `ARG ${V}`],
			[3, null, 'COPY .env'],
			[4, null, 'COPY .env.production'],
			[7, V, `ENV ${V}`],
			[8, null, 'ADD config/prod.env'],
			[11, V, `ENV ${V}`],
		]);
		const [arg, copy] = refs;
		expect(arg!.store).toEqual({type: 'manual', text: expect.stringContaining("recorded in the image's history (docker history)")});
		expect(copy!.store).toEqual({type: 'manual', text: expect.stringContaining('into an image layer that anyone who pulls the image can read (leakfix scan --image finds it)')});
		expect(refs.every(ref => ref.kind === 'dockerfile' && ref.service === 'the image built from services/api/Dockerfile')).toBe(true);
		// Lines that only mention the variable stay evidence (the secret mount).
		expect(detectReferences('Dockerfile', DOCKERFILE, [V]).find(ref => ref.line === 9)).toMatchObject({kind: 'dockerfile', envVar: V});
		expect(detectReferences('Dockerfile', DOCKERFILE, [V]).find(ref => ref.line === 9)?.store).toBeUndefined();
	});

	it('each becomes an inventory entry for the image, beside the env file that holds the key', async () => {
		const key = fakeCloudSightKey();
		const root = tempDir();
		execFileSync('git', ['init', '-q', root]);
		fs.writeFileSync(path.join(root, 'Dockerfile'), `FROM node:20\nCOPY . .\nCOPY .env /app/.env\nARG ${V}\n`);
		fs.writeFileSync(path.join(root, '.env'), `${V}=${key}\n`);
		const result = await discoverInventory([root], {envVars: [V], key});
		const image = result.entries.filter(entry => entry.service === 'the image built from Dockerfile');
		expect(image.map(entry => entry.evidence)).toEqual([['Dockerfile:3'], ['Dockerfile:4']]);
		expect(image.map(entry => entry.store.type)).toEqual(['manual', 'manual']);
		expect(result.entries.some(entry => entry.store.type === 'env-file')).toBe(true);
		expect(JSON.stringify(result.entries)).not.toContain(key);
	});
});
