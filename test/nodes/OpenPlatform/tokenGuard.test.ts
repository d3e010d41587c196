import {
	acquireTokenPermit,
	forgetTokenErrors,
	markBlocked,
	recentTokenErrors,
	TOKEN_ERROR_BUDGET,
	TOKEN_ERROR_WINDOW_MS,
	WORKFLOW_CALLER,
	type TokenCaller,
	type TokenPermit,
} from '../../../nodes/OpenPlatform/tokenGuard';

const ORIGIN = 'https://intranet.example';
const from = (address: string): TokenCaller => ({ kind: 'webhook', address });

beforeEach(() => {
	forgetTokenErrors();
	jest.useFakeTimers({ now: new Date('2026-12-01T10:00:00Z'), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
});
afterEach(() => jest.useRealTimers());

function granted(permit: TokenPermit): Extract<TokenPermit, { granted: true }> {
	if (!permit.granted) throw new Error(`refused: ${permit.reason}`);
	return permit;
}

describe('OpenPlatform token-error guard', () => {
	it('keeps the two shares together under the 11 failures OpenPlatform allows one IP, and an address share under the webhook share', () => {
		expect(TOKEN_ERROR_BUDGET.workflow + TOKEN_ERROR_BUDGET.webhook).toBeLessThan(11);
		expect(TOKEN_ERROR_BUDGET.perAddress).toBeLessThan(TOKEN_ERROR_BUDGET.webhook);
		expect(TOKEN_ERROR_BUDGET.perAddress).toBeGreaterThanOrEqual(2);
	});

	it('lets no more requests be in flight than errors are left, and wakes waiters as requests end', async () => {
		const budget = TOKEN_ERROR_BUDGET.workflow;
		const first = await Promise.all(Array.from({ length: budget }, async () => granted(await acquireTokenPermit(ORIGIN, WORKFLOW_CALLER))));
		let waiting: TokenPermit | undefined;
		const next = acquireTokenPermit(ORIGIN, WORKFLOW_CALLER).then((permit) => (waiting = permit));
		await Promise.resolve();
		expect(waiting).toBeUndefined();
		first[0].release(false);
		await next;
		expect(waiting?.granted).toBe(true);
	});

	it('refuses once the errors of the last 10 minutes fill the share, and allows again when they are older', async () => {
		for (let index = 0; index < TOKEN_ERROR_BUDGET.webhook; index++) granted(await acquireTokenPermit(ORIGIN, from(`10.0.0.${index}`))).release(true);
		expect(recentTokenErrors(ORIGIN, from('10.0.0.99'))).toBe(TOKEN_ERROR_BUDGET.webhook);
		expect(await acquireTokenPermit(ORIGIN, from('10.0.0.99'))).toEqual({ granted: false, reason: 'budget' });
		// The webhook share is spent, the workflows' share is not.
		granted(await acquireTokenPermit(ORIGIN, WORKFLOW_CALLER)).release(false);
		// Another OpenPlatform is another IP record.
		granted(await acquireTokenPermit('https://other.example', from('10.0.0.99'))).release(false);
		jest.setSystemTime(Date.now() + TOKEN_ERROR_WINDOW_MS + 1);
		expect(recentTokenErrors(ORIGIN, from('10.0.0.99'))).toBe(0);
		expect((await acquireTokenPermit(ORIGIN, from('10.0.0.99'))).granted).toBe(true);
	});

	it('lets one address spend only its own share: the others keep theirs', async () => {
		for (let index = 0; index < TOKEN_ERROR_BUDGET.perAddress; index++) granted(await acquireTokenPermit(ORIGIN, from('203.0.113.7'))).release(true);
		expect(await acquireTokenPermit(ORIGIN, from('203.0.113.7'))).toEqual({ granted: false, reason: 'address' });
		// A stranger's address spent nothing of another's, and the webhook share still has room.
		const other = granted(await acquireTokenPermit(ORIGIN, from('198.51.100.1')));
		other.release(false);
		expect(recentTokenErrors(ORIGIN, from('198.51.100.1'))).toBe(TOKEN_ERROR_BUDGET.perAddress);
	});

	it('holds an address to its share in flight too: a third parallel request waits for an answer', async () => {
		const held = await Promise.all(Array.from({ length: TOKEN_ERROR_BUDGET.perAddress }, async () => granted(await acquireTokenPermit(ORIGIN, from('203.0.113.8')))));
		let third: TokenPermit | undefined;
		const pending = acquireTokenPermit(ORIGIN, from('203.0.113.8')).then((permit) => (third = permit));
		await Promise.resolve();
		expect(third).toBeUndefined();
		held[0].release(true);
		held[1].release(true);
		await pending;
		expect(third).toEqual({ granted: false, reason: 'address' });
	});

	it('a release counts once, whatever calls it twice', async () => {
		const permit = granted(await acquireTokenPermit(ORIGIN, WORKFLOW_CALLER));
		permit.release(true);
		permit.release(true);
		expect(recentTokenErrors(ORIGIN, WORKFLOW_CALLER)).toBe(1);
	});

	it('sends nothing for 10 minutes after OpenPlatform said the IP is blocked', async () => {
		markBlocked(ORIGIN);
		expect(await acquireTokenPermit(ORIGIN, WORKFLOW_CALLER)).toEqual({ granted: false, reason: 'blocked' });
		expect(await acquireTokenPermit(ORIGIN, from('10.0.0.1'))).toEqual({ granted: false, reason: 'blocked' });
		jest.setSystemTime(Date.now() + TOKEN_ERROR_WINDOW_MS + 1);
		expect((await acquireTokenPermit(ORIGIN, WORKFLOW_CALLER)).granted).toBe(true);
	});
});
