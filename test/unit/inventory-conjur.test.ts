// Conjur references in the inventory: Summon's secrets.yml (!var) and Conjur policies (conjur.yml).
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {detectReferences, fileKind} from '../../src/engines/inventory/detect.js';
import {discoverInventory} from '../../src/engines/inventory/index.js';
import {tempDir} from '../helpers/fs.js';

const SUMMON = `# summon -p summon-conjur
DB_URL: !var shop/db/url
STRIPE_API_KEY: !var shop/prod/stripe-api-key
SSL_CERT: !var:file shop/ssl/cert
STATIC: plain-value
staging:
  STRIPE_API_KEY: !var shop/staging/stripe-api-key
templated:
  STRIPE_API_KEY: !var $ENVIRONMENT/stripe-api-key
`;

const POLICY = `- !policy
  id: shop
  body:
    - !variable db-password
    - !policy
      id: prod
      body:
        - !variable stripe-api-key
        - !variable
          id: stripe/webhook-secret
    - !layer apps
    - !permit
      role: !layer apps
      privileges: [ read, execute ]
      resources:
        - !variable prod/stripe-api-key
`;

describe('Conjur references in the inventory', () => {
	it('names files by kind: secrets.yml is Summon, conjur.yml a Conjur policy', () => {
		expect(fileKind('deploy/secrets.yml')).toBe('summon');
		expect(fileKind('conjur.yml')).toBe('conjur-policy');
		expect(fileKind('policy/conjur-shop.yaml')).toBe('conjur-policy');
		expect(fileKind('k8s/deployment.yaml')).toBe('kubernetes');
	});

	it('reads Summon !var entries of the key\'s variables, in sections too; a $VARIABLE id is by hand', () => {
		const refs = detectReferences('secrets.yml', SUMMON, ['STRIPE_API_KEY']);
		expect(refs).toEqual([
			{file: 'secrets.yml', line: 3, kind: 'summon', envVar: 'STRIPE_API_KEY', store: {type: 'conjur', variableId: 'shop/prod/stripe-api-key'}, environment: 'prod'},
			{file: 'secrets.yml', line: 7, kind: 'summon', envVar: 'STRIPE_API_KEY', store: {type: 'conjur', variableId: 'shop/staging/stripe-api-key'}, environment: 'staging'},
			{file: 'secrets.yml', line: 9, kind: 'summon', envVar: 'STRIPE_API_KEY', store: {type: 'manual', text: expect.stringContaining('whose id Summon fills in at run time')}, environment: 'unknown'},
		]);
		expect(detectReferences('secrets.yml', SUMMON, ['SSL_CERT'])).toMatchObject([{line: 4, store: {type: 'conjur', variableId: 'shop/ssl/cert'}}]);
		expect(detectReferences('secrets.yml', SUMMON, ['OTHER_KEY'])).toEqual([]);
		// Any YAML with !var tags is read the same way (summon -f other.yml).
		expect(detectReferences('config/summon.yml', SUMMON, ['DB_URL'])).toMatchObject([{kind: 'summon', store: {type: 'conjur', variableId: 'shop/db/url'}}]);
	});

	it('reads a Conjur policy\'s !variable declarations with their full ids, where the name matches the key\'s variable', () => {
		const refs = detectReferences('conjur.yml', POLICY, ['STRIPE_API_KEY', 'STRIPE_WEBHOOK_SECRET']);
		expect(refs).toEqual([
			{file: 'conjur.yml', line: 8, kind: 'conjur-policy', envVar: 'STRIPE_API_KEY', store: {type: 'conjur', variableId: 'shop/prod/stripe-api-key'}, service: 'Conjur policy conjur.yml', environment: 'prod'},
			{file: 'conjur.yml', line: 10, kind: 'conjur-policy', envVar: 'STRIPE_WEBHOOK_SECRET', store: {type: 'conjur', variableId: 'shop/prod/stripe/webhook-secret'}, service: 'Conjur policy conjur.yml', environment: 'prod'},
		]);
		expect(detectReferences('conjur.yml', POLICY, ['AWS_KEY'])).toEqual([]);
		expect(detectReferences('conjur.yml', '- !policy\n  id: [unclosed\n', ['STRIPE_API_KEY'])).toEqual([]);
	});

	it('proposes Conjur entries from a repository (discovery over real files)', async () => {
		const repo = tempDir();
		fs.writeFileSync(path.join(repo, 'package.json'), JSON.stringify({name: 'shop-api'}));
		fs.writeFileSync(path.join(repo, 'secrets.yml'), SUMMON);
		fs.mkdirSync(path.join(repo, 'policy'));
		fs.writeFileSync(path.join(repo, 'policy', 'conjur.yml'), POLICY);
		const result = await discoverInventory([repo], {envVars: ['STRIPE_API_KEY']});
		const conjur = result.entries.filter(entry => entry.store.type === 'conjur');
		// The policy's declaration of the variable Summon reads is evidence for that entry, not a second update.
		expect(conjur.map(entry => [entry.service, entry.environment, entry.store, entry.evidence])).toEqual([
			['shop-api', 'prod', {type: 'conjur', variableId: 'shop/prod/stripe-api-key'}, ['secrets.yml:3', 'policy/conjur.yml:8']],
			['shop-api', 'staging', {type: 'conjur', variableId: 'shop/staging/stripe-api-key'}, ['secrets.yml:7']],
		]);
		// Alone, a declaration is an entry of its own.
		fs.rmSync(path.join(repo, 'secrets.yml'));
		const alone = await discoverInventory([repo], {envVars: ['STRIPE_API_KEY']});
		expect(alone.entries.map(entry => [entry.service, entry.store, entry.evidence])).toEqual([['Conjur policy conjur.yml', {type: 'conjur', variableId: 'shop/prod/stripe-api-key'}, ['policy/conjur.yml:8']]]);
	});
});
