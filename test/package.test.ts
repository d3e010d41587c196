import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

import type { ICredentialType, INodeType } from 'n8n-workflow';

/** Checks the built package (npm test builds before running jest) as n8n will load it. */
const root = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
	dependencies?: Record<string, string>;
	peerDependencies: Record<string, string>;
	n8n: { nodes: string[]; credentials: string[] };
};

function filesUnder(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? filesUnder(path) : [path];
	});
}

function iconFiles(icon: unknown): string[] {
	const icons = typeof icon === 'string' ? [icon] : Object.values(icon as Record<string, string>);
	return icons.map((entry) => entry.replace(/^file:/, ''));
}

function builtNodes(): INodeType[] {
	return pkg.n8n.nodes.map((file) => {
		const exported = require(join(root, file)) as Record<string, new () => INodeType>;
		return new (Object.values(exported)[0])();
	});
}

describe('built package', () => {
	it('has no runtime dependencies and only n8n-workflow as peer', () => {
		expect(pkg.dependencies ?? {}).toEqual({});
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	});

	it.each(pkg.n8n.nodes)('%s loads, with its icons and codex file next to it', (file) => {
		const path = join(root, file);
		const exported = require(path) as Record<string, new () => INodeType>;
		const NodeClass = Object.values(exported)[0];
		const node = new NodeClass();
		expect(node.description.name).toBeTruthy();
		for (const icon of iconFiles(node.description.icon)) expect(existsSync(join(dirname(path), icon))).toBe(true);
		const codex = JSON.parse(readFileSync(path.replace(/\.js$/, '.json'), 'utf8')) as { node: string };
		expect(codex.node).toBe(`n8n-nodes-openplatform-operator-onechat.${node.description.name}`);
	});

	it.each(pkg.n8n.credentials)('%s loads, with its icons and a test button', (file) => {
		const path = join(root, file);
		const exported = require(path) as Record<string, new () => ICredentialType>;
		const CredentialClass = Object.values(exported)[0];
		const credential = new CredentialClass();
		for (const icon of iconFiles(credential.icon)) expect(existsSync(join(dirname(path), icon))).toBe(true);
		if (credential.test) return;
		// Otherwise every node using it names a test function it carries (n8n stops at the first such node).
		const users = builtNodes().filter((node) => node.description.credentials?.some((entry) => entry.name === credential.name));
		expect(users.length).toBeGreaterThan(0);
		for (const node of users) {
			const testedBy = node.description.credentials?.find((entry) => entry.name === credential.name)?.testedBy;
			expect(typeof testedBy).toBe('string');
			expect(typeof node.methods?.credentialTest?.[testedBy as string]).toBe('function');
		}
	});

	it('bundles undici and zod once, in the shared vendor chunk every node uses', () => {
		const files = filesUnder(join(root, 'dist')).filter((file) => file.endsWith('.js'));
		const vendor = join(root, 'dist/nodes/shared/vendor.js');
		for (const file of files) {
			if (file === vendor) continue;
			const text = readFileSync(file, 'utf8');
			expect({ file: relative(root, file), external: /require\("(undici|zod)"\)/.test(text) }).toEqual({
				file: relative(root, file),
				external: false,
			});
		}
		const bundle = readFileSync(vendor, 'utf8');
		expect(bundle).not.toMatch(/require\("(undici|zod)"\)/);
		expect(bundle).toContain('EnvHttpProxyAgent');
		expect(bundle).toContain('ZodError');
	});
});
