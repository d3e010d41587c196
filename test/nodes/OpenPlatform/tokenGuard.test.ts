import {
	acquireTokenPermit,
	forgetTokenErrors,
	markBlocked,
	recentTokenErrors,
	TOKEN_ERROR_BUDGET,
	TOKEN_ERROR_WINDOW_MS,
	type TokenPermit,
} from '../../../nodes/OpenPlatform/tokenGuard';

const ORIGIN = 'https://intranet.example';

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
	it('keeps the two shares together under the 11 failures OpenPlatform allows one IP', () => {
		expect(TOKEN_ERROR_BUDGET.workflow + TOKEN_ERROR_BUDGET.webhook).toBeLessThan(11);
	});

	it('lets no more requests be in flight than errors are left, and wakes waiters as requests end', async () => {
		const budget = TOKEN_ERROR_BUDGET.workflow;
		const first = await Promise.all(Array.from({ length: budget }, async () => granted(await acquireTokenPermit(ORIGIN, 'workflow'))));
		let waiting: TokenPermit | undefined;
		const next = acquireTokenPermit(ORIGIN, 'workflow').then((permit) => (waiting = permit));
		await Promise.resolve();
		expect(waiting).toBeUndefined();
		first[0].release(false);
		await next;
		expect(waiting?.granted).toBe(true);
	});

	it('refuses once the errors of the last 10 minutes fill the share, and allows again when they are older', async () => {
		for (let index = 0; index < TOKEN_ERROR_BUDGET.webhook; index++) granted(await acquireTokenPermit(ORIGIN, 'webhook')).release(true);
		expect(recentTokenErrors(ORIGIN, 'webhook')).toBe(TOKEN_ERROR_BUDGET.webhook);
		expect(await acquireTokenPermit(ORIGIN, 'webhook')).toEqual({ granted: false, reason: 'budget' });
		// The webhook share is spent, the workflows' share is not.
		granted(await acquireTokenPermit(ORIGIN, 'workflow')).release(false);
		// Another OpenPlatform is another IP record.
		granted(await acquireTokenPermit('https://other.example', 'webhook')).release(false);
		jest.setSystemTime(Date.now() + TOKEN_ERROR_WINDOW_MS + 1);
		expect(recentTokenErrors(ORIGIN, 'webhook')).toBe(0);
		expect((await acquireTokenPermit(ORIGIN, 'webhook')).granted).toBe(true);
	});

	it('a release counts once, whatever calls it twice', async () => {
		const permit = granted(await acquireTokenPermit(ORIGIN, 'workflow'));
		permit.release(true);
		permit.release(true);
		expect(recentTokenErrors(ORIGIN, 'workflow')).toBe(1);
	});

	it('sends nothing for 10 minutes after OpenPlatform said the IP is blocked', async () => {
		markBlocked(ORIGIN);
		expect(await acquireTokenPermit(ORIGIN, 'workflow')).toEqual({ granted: false, reason: 'blocked' });
		expect(await acquireTokenPermit(ORIGIN, 'webhook')).toEqual({ granted: false, reason: 'blocked' });
		jest.setSystemTime(Date.now() + TOKEN_ERROR_WINDOW_MS + 1);
		expect((await acquireTokenPermit(ORIGIN, 'workflow')).granted).toBe(true);
	});
});
