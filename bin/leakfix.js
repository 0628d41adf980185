#!/usr/bin/env node
// Thin bin: use Node's compile cache where this Node has it, then hand over to the built CLI.
import module from 'node:module';

if (typeof module.enableCompileCache === 'function') {
	try {
		module.enableCompileCache();
	} catch {}
}

const {run} = await import('../dist/cli.js');
await run(process.argv.slice(2));
