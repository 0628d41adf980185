// A store's address in words: how screens, the timeline and the report name where a copy lives.
import type {Store} from '../model.js';

export function storeAddress(store: Store): string {
	switch (store.type) {
		case 'env-file': {
			return `${store.path} ${store.variable}`;
		}

		case 'aws-sm': {
			return `AWS Secrets Manager ${store.secretId}${store.jsonKey ? ` (key ${store.jsonKey})` : ''}${store.region ? ` in ${store.region}` : ''}`;
		}

		case 'vault': {
			return `Vault ${store.mount}/${store.path} field ${store.field}`;
		}

		case 'conjur': {
			return `Conjur ${store.variableId}`;
		}

		case 'github-actions': {
			return `GitHub Actions secret ${store.name}${store.environment ? ` (environment ${store.environment})` : ''}${store.repo ? ` in ${store.repo}` : store.org ? ` in org ${store.org}` : ''}`;
		}

		case 'kubernetes': {
			return `Kubernetes secret ${store.namespace}/${store.name} key ${store.key}${store.context ? ` (context ${store.context})` : ''}`;
		}

		case 'manual': {
			return store.text;
		}
	}
}

