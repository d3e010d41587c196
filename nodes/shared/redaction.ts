// Keeps secrets out of every message, output item and log line the package produces.

const SECRET_QUERY_KEYS = /([?&](?:access_?token|token|api_?key|apikey|key|secret|client_secret|password|code)=)[^&#\s"']*/gi;
const MIN_SECRET_LENGTH = 4;

export class Redactor {
	private secrets: string[];

	constructor(secrets: ReadonlyArray<string | undefined | null>) {
		// Longest first so that a secret containing another one is masked whole.
		this.secrets = [...new Set(secrets.filter(isMaskable))].sort((a, b) => b.length - a.length);
	}

	/** Adds a secret learnt during a run (an access token just obtained, for example). */
	addSecret(secret: string | undefined | null): void {
		if (!isMaskable(secret) || this.secrets.includes(secret)) return;
		this.secrets = [...this.secrets, secret].sort((a, b) => b.length - a.length);
	}

	withSecrets(more: ReadonlyArray<string | undefined | null>): Redactor {
		return new Redactor([...this.secrets, ...more]);
	}

	text(value: string): string {
		let result = value.replace(SECRET_QUERY_KEYS, '$1***');
		for (const secret of this.secrets) {
			if (result.includes(secret)) result = result.split(secret).join('***');
		}
		return result;
	}

	/** Deep copy of a JSON-like value with every string redacted. */
	value<T>(input: T): T {
		return redactValue(input, this) as T;
	}
}

function isMaskable(secret: string | undefined | null): secret is string {
	return typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH;
}

function redactValue(input: unknown, redactor: Redactor): unknown {
	if (typeof input === 'string') return redactor.text(input);
	if (Array.isArray(input)) return input.map((entry) => redactValue(entry, redactor));
	if (input && typeof input === 'object' && !(input instanceof Uint8Array)) {
		const copy: Record<string, unknown> = {};
		for (const [key, entry] of Object.entries(input)) copy[key] = redactValue(entry, redactor);
		return copy;
	}
	return input;
}
