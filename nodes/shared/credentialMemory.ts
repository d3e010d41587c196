import type { ICredentialDataDecryptedObject, IWebhookFunctions } from 'n8n-workflow';

/**
 * A trigger reads its credential at most once per CREDENTIAL_MEMORY_MS while calls keep coming.
 * Reading it is the dear part of checking a call: in n8n 2.x, with the default expression engine,
 * a webhook call that awaits the credential keeps an expression isolate the whole time
 * (bench/webhooks.js: about 10 ms more per call and half the refusals per second, and the panel's
 * requests answered a third slower than n8n's own Webhook → Respond to Webhook). So what a trigger
 * reads is kept for CREDENTIAL_MEMORY_MS, and calls in that time are checked against it.
 *
 * A saving within one n8n process, not state: a process that has nothing remembered reads the
 * credential. The price: a changed credential takes effect up to CREDENTIAL_MEMORY_MS later (until
 * then a process that read the old one just before still checks calls against it). Nothing is
 * written anywhere; the memory goes with the process.
 */
export const CREDENTIAL_MEMORY_MS = 10_000;
const MAX_ENTRIES = 1_000;

/** Before a remembered read runs out, one call reads again while the others go on with it. */
const READ_AHEAD_MS = 2_000;

interface Remembered {
	read: Promise<ICredentialDataDecryptedObject>;
	until: number;
	/** The read ahead, once one call started it. */
	next?: Promise<ICredentialDataDecryptedObject>;
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
	const entry = remembered.get(key);
	let read: Promise<ICredentialDataDecryptedObject>;
	if (entry && entry.until > now) {
		// So that no burst of calls waits on a read when the memory runs out, one call reads ahead.
		if (entry.next === undefined && entry.until - now <= READ_AHEAD_MS) read = entry.next = readInto(key, context, credentialType, false);
		else read = entry.read;
	} else {
		// Calls arriving while the credential is being read share that one read.
		read = readInto(key, context, credentialType, true);
	}
	// Each call gets its own copy: what one call does with it is not seen by the next.
	return { ...(await read) };
}

/** Reads the credential and remembers it: at once (to be shared), or once read (a read ahead). */
function readInto(key: string, context: IWebhookFunctions, credentialType: string, shareAtOnce: boolean): Promise<ICredentialDataDecryptedObject> {
	const entry: Remembered = { read: context.getCredentials(credentialType), until: Date.now() + CREDENTIAL_MEMORY_MS };
	if (shareAtOnce) remember(key, entry);
	else entry.read.then(() => remember(key, entry), () => undefined);
	// A failed read is not remembered: the next call reads again.
	entry.read.catch(() => remembered.get(key) === entry && remembered.delete(key));
	return entry.read;
}

function remember(key: string, entry: Remembered): void {
	remembered.delete(key);
	// Maps keep insertion order: the oldest entry goes first.
	if (remembered.size >= MAX_ENTRIES) remembered.delete(remembered.keys().next().value as string);
	remembered.set(key, entry);
}
