/**
 * Every default of the package, in one place: node options, HTTP behaviour and the tunings of
 * calls made while someone waits (a webhook's caller, a credential's "Test" button).
 */

export interface RetryPolicy {
	maxRetries: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** A Retry-After longer than this is not waited for: the last answer is returned instead. */
	maxRetryAfterMs: number;
}

/** How one run sends its requests; the node's Options collection overrides the first three. */
export interface CallTuning {
	timeoutMs: number;
	retry: RetryPolicy;
	/** Most sockets kept open per origin (the node's Concurrency, when it runs items). */
	maxConnectionsPerOrigin: number;
}

// Node options. Flat names: n8n's linter reads a parameter's `default` only as a literal or a name.
export const DEFAULT_CONCURRENCY = 32;
export const MAX_CONCURRENCY = 256;
export const DEFAULT_RETRIES = 4;
export const MAX_RETRIES = 10;
export const DEFAULT_TIMEOUT_MS = 30_000;
export const MIN_TIMEOUT_MS = 100;
/** 0: not paced, as fast as Concurrency allows. */
export const DEFAULT_MAX_MESSAGES_PER_SECOND = 0;
export const MIN_MESSAGES_PER_SECOND = 0.01;
export const MAX_MESSAGES_PER_SECOND = 10_000;

export const RETRY_POLICY: RetryPolicy = {
	maxRetries: DEFAULT_RETRIES,
	baseDelayMs: 200,
	maxDelayMs: 5_000,
	maxRetryAfterMs: 60_000,
};

export const MAX_RESPONSE_BYTES = 5 * 1024 * 1024;
export const KEEP_ALIVE_MS = 30_000;

export const RUN_TUNING: CallTuning = {
	timeoutMs: DEFAULT_TIMEOUT_MS,
	retry: RETRY_POLICY,
	maxConnectionsPerOrigin: 64,
};

/** Calls made while a webhook's caller waits for its answer: give up soon rather than hold it. */
export const WEBHOOK_TUNING: CallTuning = {
	timeoutMs: 10_000,
	retry: { maxRetries: 1, baseDelayMs: 200, maxDelayMs: 1_000, maxRetryAfterMs: 2_000 },
	maxConnectionsPerOrigin: RUN_TUNING.maxConnectionsPerOrigin,
};

/** A credential test answers at once: the person waiting on the "Test" button gets no retries. */
export const CREDENTIAL_TEST_TUNING: CallTuning = {
	timeoutMs: 15_000,
	retry: { maxRetries: 0, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 },
	maxConnectionsPerOrigin: 4,
};

/** Trigger body limits (KB): small JSON events, and events that may carry files. */
export const DEFAULT_MAX_BODY_KB = 64;
export const DEFAULT_MAX_BODY_KB_WITH_FILES = 10_240;

/** Operator Panel → Send to Control Panel: the largest file attached by default. */
export const DEFAULT_MAX_FILE_MB = 10;

/** OpenPlatform Trigger → OAuth Sign-in: how long a started sign-in stays valid. */
export const DEFAULT_SIGN_IN_MINUTES = 10;

/**
 * OpenPlatform API credential → n8n Processes: the token-error budget of one IP is split between
 * this many n8n processes (1 main + 2 workers + 1 webhook processor, a small queue-mode fleet).
 */
export const DEFAULT_N8N_PROCESSES = 4;
