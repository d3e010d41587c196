import {
	acquireTokenPermit,
	forgetTokenErrors,
	IP_TOKEN_ERRORS,
	markBlocked,
	MAX_N8N_PROCESSES,
	recentTokenErrors,
	sharesFor,
	TOKEN_ERROR_WINDOW_MS,
	WORKFLOW_CALLER,
	type TokenCaller,
	type TokenPermit,
} from '../../../nodes/OpenPlatform/tokenGuard';

const ORIGIN = 'https://intranet.example';
/** One n8n process: it may spend the IP's whole budget. */
const SINGLE = 1;
const SHARES = sharesFor(SINGLE);
const from = (address: string): TokenCaller => ({ kind: 'webhook', address });
let tokens = 0;
/** A token (URL) never sent before. */
const fresh = () => `${ORIGIN}/api/notify/?accesstoken=t${++tokens}`;

beforeEach(() => {
	forgetTokenErrors();
	jest.useFakeTimers({ now: new Date('2026-12-01T10:00:00Z'), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
});
afterEach(() => jest.useRealTimers());

function granted(permit: TokenPermit): Extract<TokenPermit, { granted: true }> {
	if (!permit.granted) throw new Error(`refused: ${permit.reason}`);
	return permit;
}

/** Spends `count` errors of a caller's share with fresh tokens. */
async function spend(caller: TokenCaller, count: number, processes = SINGLE) {
	for (let index = 0; index < count; index++) granted(await acquireTokenPermit(ORIGIN, caller, processes, fresh())).release('token-error');
}

describe('OpenPlatform token-error guard', () => {
	it('keeps the shares of one process, accepted tokens included, within the 10 errors it allows below the block', () => {
		expect(SHARES.workflow + SHARES.webhook + SHARES.accepted).toBeLessThanOrEqual(IP_TOKEN_ERRORS);
		expect(IP_TOKEN_ERRORS).toBeLessThan(11);
		expect(SHARES.perAddress).toBeLessThan(SHARES.webhook);
		expect(SHARES.perAddress).toBeGreaterThanOrEqual(2);
	});

	it('lets no more requests be in flight than errors are left, and wakes waiters as requests end', async () => {
		const first = await Promise.all(Array.from({ length: SHARES.workflow }, async () => granted(await acquireTokenPermit(ORIGIN, WORKFLOW_CALLER, SINGLE, fresh()))));
		let waiting: TokenPermit | undefined;
		const next = acquireTokenPermit(ORIGIN, WORKFLOW_CALLER, SINGLE, fresh()).then((permit) => (waiting = permit));
		await Promise.resolve();
		expect(waiting).toBeUndefined();
		first[0].release('other');
		await next;
		expect(waiting?.granted).toBe(true);
	});

	it('refuses once the errors of the last 10 minutes fill the share, and allows again when they are older', async () => {
		for (let index = 0; index < SHARES.webhook; index++) await spend(from(`10.0.0.${index}`), 1);
		expect(recentTokenErrors(ORIGIN, from('10.0.0.99'), SINGLE)).toBe(SHARES.webhook);
		expect(await acquireTokenPermit(ORIGIN, from('10.0.0.99'), SINGLE, fresh())).toEqual({ granted: false, reason: 'budget' });
		// The webhook share is spent, the workflows' share is not.
		granted(await acquireTokenPermit(ORIGIN, WORKFLOW_CALLER, SINGLE, fresh())).release('other');
		// Another OpenPlatform is another IP record.
		granted(await acquireTokenPermit('https://other.example', from('10.0.0.99'), SINGLE, fresh())).release('other');
		jest.setSystemTime(Date.now() + TOKEN_ERROR_WINDOW_MS + 1);
		expect(recentTokenErrors(ORIGIN, from('10.0.0.99'), SINGLE)).toBe(0);
		expect((await acquireTokenPermit(ORIGIN, from('10.0.0.99'), SINGLE, fresh())).granted).toBe(true);
	});

	it('lets one address spend only its own share: the others keep theirs', async () => {
		await spend(from('203.0.113.7'), SHARES.perAddress);
		expect(await acquireTokenPermit(ORIGIN, from('203.0.113.7'), SINGLE, fresh())).toEqual({ granted: false, reason: 'address' });
		// A stranger's address spent nothing of another's, and the webhook share still has room.
		granted(await acquireTokenPermit(ORIGIN, from('198.51.100.1'), SINGLE, fresh())).release('other');
		expect(recentTokenErrors(ORIGIN, from('198.51.100.1'), SINGLE)).toBe(SHARES.perAddress);
	});

	it('holds an address to its share in flight too: a third parallel request waits for an answer', async () => {
		const held = await Promise.all(Array.from({ length: SHARES.perAddress }, async () => granted(await acquireTokenPermit(ORIGIN, from('203.0.113.8'), SINGLE, fresh()))));
		let third: TokenPermit | undefined;
		const pending = acquireTokenPermit(ORIGIN, from('203.0.113.8'), SINGLE, fresh()).then((permit) => (third = permit));
		await Promise.resolve();
		expect(third).toBeUndefined();
		held[0].release('token-error');
		held[1].release('token-error');
		await pending;
		expect(third).toEqual({ granted: false, reason: 'address' });
	});

	it('a release counts once, whatever calls it twice', async () => {
		const permit = granted(await acquireTokenPermit(ORIGIN, WORKFLOW_CALLER, SINGLE, fresh()));
		permit.release('token-error');
		permit.release('token-error');
		expect(recentTokenErrors(ORIGIN, WORKFLOW_CALLER, SINGLE)).toBe(1);
	});

	it('sends nothing for 10 minutes after OpenPlatform said the IP is blocked, accepted tokens neither', async () => {
		const known = fresh();
		granted(await acquireTokenPermit(ORIGIN, WORKFLOW_CALLER, SINGLE, known)).release('accepted');
		markBlocked(ORIGIN);
		expect(await acquireTokenPermit(ORIGIN, WORKFLOW_CALLER, SINGLE, known)).toEqual({ granted: false, reason: 'blocked' });
		expect(await acquireTokenPermit(ORIGIN, from('10.0.0.1'), SINGLE, fresh())).toEqual({ granted: false, reason: 'blocked' });
		jest.setSystemTime(Date.now() + TOKEN_ERROR_WINDOW_MS + 1);
		expect((await acquireTokenPermit(ORIGIN, WORKFLOW_CALLER, SINGLE, fresh())).granted).toBe(true);
	});

	it('still sends a token OpenPlatform accepted lately once the share is spent, one at a time, and stops that too after one failure', async () => {
		const known = [fresh(), fresh(), fresh()];
		for (const token of known) granted(await acquireTokenPermit(ORIGIN, WORKFLOW_CALLER, SINGLE, token)).release('accepted');
		await spend(WORKFLOW_CALLER, SHARES.workflow);
		expect(await acquireTokenPermit(ORIGIN, WORKFLOW_CALLER, SINGLE, fresh())).toEqual({ granted: false, reason: 'budget' });

		const first = granted(await acquireTokenPermit(ORIGIN, WORKFLOW_CALLER, SINGLE, known[0]));
		let second: TokenPermit | undefined;
		const pending = acquireTokenPermit(ORIGIN, WORKFLOW_CALLER, SINGLE, known[1]).then((permit) => (second = permit));
		await Promise.resolve();
		expect(second).toBeUndefined();
		first.release('accepted');
		await pending;
		// Revoked meanwhile: one more error, then accepted tokens wait the 10 minutes too.
		granted(second as TokenPermit).release('token-error');
		expect(await acquireTokenPermit(ORIGIN, WORKFLOW_CALLER, SINGLE, known[2])).toEqual({ granted: false, reason: 'budget' });
		// A token accepted more than 10 minutes ago counts as new.
		jest.setSystemTime(Date.now() + TOKEN_ERROR_WINDOW_MS + 1);
		const aged = fresh();
		granted(await acquireTokenPermit(ORIGIN, WORKFLOW_CALLER, SINGLE, aged)).release('accepted');
		jest.setSystemTime(Date.now() + TOKEN_ERROR_WINDOW_MS + 1);
		await spend(WORKFLOW_CALLER, SHARES.workflow);
		expect(await acquireTokenPermit(ORIGIN, WORKFLOW_CALLER, SINGLE, aged)).toEqual({ granted: false, reason: 'budget' });
	});

	it('splits the 10 errors between n8n processes: together they stay under the block, each keeping room for accepted tokens', () => {
		for (let processes = 1; processes <= MAX_N8N_PROCESSES; processes++) {
			const shares = sharesFor(processes);
			const perProcess = (shares.shared ? shares.workflow : shares.workflow + shares.webhook) + shares.accepted;
			expect(processes * perProcess).toBeLessThanOrEqual(IP_TOKEN_ERRORS);
			expect(Math.min(shares.workflow, shares.webhook, shares.perAddress, shares.accepted)).toBeGreaterThanOrEqual(1);
			expect(shares.perAddress).toBeLessThanOrEqual(shares.webhook);
		}
		expect([1, 2, 3, 4, 5].map((processes) => sharesFor(processes).workflow)).toEqual([5, 2, 1, 1, 1]);
		expect([1, 2, 3, 4, 5].map((processes) => sharesFor(processes).shared)).toEqual([false, false, false, true, true]);
		// Out of range (a credential saved by hand): never more than one process's shares, never less than 5 processes'.
		expect(sharesFor(0)).toEqual(sharesFor(1));
		expect(sharesFor(9)).toEqual(sharesFor(MAX_N8N_PROCESSES));
	});

	it('holds a process of a fleet of 4 to one new token at a time, workflows and webhooks together, one error per 10 minutes', async () => {
		const first = granted(await acquireTokenPermit(ORIGIN, WORKFLOW_CALLER, 4, fresh()));
		let second: TokenPermit | undefined;
		const pending = acquireTokenPermit(ORIGIN, from('10.1.1.1'), 4, fresh()).then((permit) => (second = permit));
		await Promise.resolve();
		expect(second).toBeUndefined();
		first.release('token-error');
		await pending;
		expect(second).toEqual({ granted: false, reason: 'budget' });
		// The same record judged for a single n8n still has room: each request is judged by its credential's setting.
		expect((await acquireTokenPermit(ORIGIN, WORKFLOW_CALLER, SINGLE, fresh())).granted).toBe(true);
	});
});
