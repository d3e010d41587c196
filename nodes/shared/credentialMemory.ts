import type { ICredentialDataDecryptedObject, IWebhookFunctions } from 'n8n-workflow';

/**
 * A trigger reads its credential at most once per CREDENTIAL_MEMORY_MS while calls keep coming.
 * Reading it is the dear part of checking a call: in n8n 2.x, with the default expression engine,
 * each credential read builds an expression isolate of its own (used once, then thrown away) while
 * the call holds another (bench/webhooks.js: about 10 ms more per call and half the refusals per
 * second, and the panel's requests answered a third slower than n8n's own Webhook → Respond to
 * Webhook). So what a trigger
 * reads is kept for CREDENTIAL_MEMORY_MS, and calls in that time are checked against it.
 *
 * A saving within one n8n process, not state: a process that has nothing remembered reads the
 * credential. The price: a changed credential takes effect up to CREDENTIAL_MEMORY_MS later (until
 * then a process that read the old one just before still checks calls against it). Nothing is
 * written anywhere; the memory goes with the process.
 */
export const CREDENTIAL_MEMORY_MS = 10_000;
const MAX_ENTRIES = 1_000;

/**
 * Before a remembered read runs out, one call starts the next read and goes on with the remembered
 * one, not waiting: so no call (and no call queued behind its isolate) ever waits on a read while
 * calls keep coming. The read finishes after that call has been answered: n8n's credential read in
 * a webhook call takes an isolate of its own, not the call's (test/e2e/credentialMemory.e2e.test.ts
 * shows the read landing in the real n8n).
 */
const READ_AHEAD_MS = 2_000;

interface Remembered {
	read: Promise<ICredentialDataDecryptedObject>;
	until: number;
	/** One call has started the read that follows this one. */
	readingAhead?: true;
}

const remembered = new Map<string, Remembered>();

/** Tests only: every trigger forgets what it read (as a new n8n process would). */
export function forgetCredentials(): void {
	remembered.clear();
}

/** The node's credential as read within CREDENTIAL_MEMORY_MS, else read now (and remembered). */
export async function rememberedCredentials(context: IWebhookFunctions, credentialType: string): Promise<ICredentialDataDecryptedObject> {
	// Per workflow, node and credential: two nodes with one credential each read it.
	const node = context.getNode();
	const key = `${context.getWorkflow().id ?? ''}\n${node.id}\n${node.credentials?.[credentialType]?.id ?? ''}`;
	const now = Date.now();
	let entry = remembered.get(key);
	if (entry && entry.until > now) {
		if (!entry.readingAhead && entry.until - now <= READ_AHEAD_MS) {
			entry.readingAhead = true;
			readAhead(key, context, credentialType);
		}
	} else {
		// Calls arriving while the credential is being read share that one read.
		entry = { read: context.getCredentials(credentialType), until: now + CREDENTIAL_MEMORY_MS };
		remember(key, entry);
		const reading = entry;
		// A failed read is not remembered: the next call reads again.
		reading.read.catch(() => remembered.get(key) === reading && remembered.delete(key));
	}
	// Each call gets its own copy: what one call does with it is not seen by the next.
	return { ...(await entry.read) };
}

/** The next read, remembered once it succeeds; if it fails, the current one runs out and a call reads anew. */
function readAhead(key: string, context: IWebhookFunctions, credentialType: string): void {
	const started = Date.now();
	context.getCredentials(credentialType).then(
		(credentials) => remember(key, { read: Promise.resolve(credentials), until: started + CREDENTIAL_MEMORY_MS }),
		() => undefined,
	);
}

function remember(key: string, entry: Remembered): void {
	remembered.delete(key);
	// Maps keep insertion order: the oldest entry goes first.
	if (remembered.size >= MAX_ENTRIES) remembered.delete(remembered.keys().next().value as string);
	remembered.set(key, entry);
}
