import {
	acquireTokenPermit,
	forgetTokenErrors,
	markBlocked,
	MAX_N8N_PROCESSES,
	processShare,
	recentTokenErrors,
	TOKEN_ERROR_BUDGET,
	TOKEN_ERROR_WINDOW_MS,
	WORKFLOW_CALLER,
	type TokenCaller,
	type TokenPermit,
} from '../../../nodes/OpenPlatform/tokenGuard';

const ORIGIN = 'https://intranet.example';
/** One n8n process: it may spend the IP's whole budget. */
const SINGLE = 1;
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
		const first = await Promise.all(Array.from({ length: budget }, async () => granted(await acquireTokenPermit(ORIGIN, WORKFLOW_CALLER, SINGLE))));
		let waiting: TokenPermit | undefined;
		const next = acquireTokenPermit(ORIGIN, WORKFLOW_CALLER, SINGLE).then((permit) => (waiting = permit));
		await Promise.resolve();
		expect(waiting).toBeUndefined();
		first[0].release(false);
		await next;
		expect(waiting?.granted).toBe(true);
	});

	it('refuses once the errors of the last 10 minutes fill the share, and allows again when they are older', async () => {
		for (let index = 0; index < TOKEN_ERROR_BUDGET.webhook; index++) granted(await acquireTokenPermit(ORIGIN, from(`10.0.0.${index}`), SINGLE)).release(true);
		expect(recentTokenErrors(ORIGIN, from('10.0.0.99'))).toBe(TOKEN_ERROR_BUDGET.webhook);
		expect(await acquireTokenPermit(ORIGIN, from('10.0.0.99'), SINGLE)).toEqual({ granted: false, reason: 'budget' });
		// The webhook share is spent, the workflows' share is not.
		granted(await acquireTokenPermit(ORIGIN, WORKFLOW_CALLER, SINGLE)).release(false);
		// Another OpenPlatform is another IP record.
		granted(await acquireTokenPermit('https://other.example', from('10.0.0.99'), SINGLE)).release(false);
		jest.setSystemTime(Date.now() + TOKEN_ERROR_WINDOW_MS + 1);
		expect(recentTokenErrors(ORIGIN, from('10.0.0.99'))).toBe(0);
		expect((await acquireTokenPermit(ORIGIN, from('10.0.0.99'), SINGLE)).granted).toBe(true);
	});

	it('lets one address spend only its own share: the others keep theirs', async () => {
		for (let index = 0; index < TOKEN_ERROR_BUDGET.perAddress; index++) granted(await acquireTokenPermit(ORIGIN, from('203.0.113.7'), SINGLE)).release(true);
		expect(await acquireTokenPermit(ORIGIN, from('203.0.113.7'), SINGLE)).toEqual({ granted: false, reason: 'address' });
		// A stranger's address spent nothing of another's, and the webhook share still has room.
		const other = granted(await acquireTokenPermit(ORIGIN, from('198.51.100.1'), SINGLE));
		other.release(false);
		expect(recentTokenErrors(ORIGIN, from('198.51.100.1'))).toBe(TOKEN_ERROR_BUDGET.perAddress);
	});

	it('holds an address to its share in flight too: a third parallel request waits for an answer', async () => {
		const held = await Promise.all(Array.from({ length: TOKEN_ERROR_BUDGET.perAddress }, async () => granted(await acquireTokenPermit(ORIGIN, from('203.0.113.8'), SINGLE))));
		let third: TokenPermit | undefined;
		const pending = acquireTokenPermit(ORIGIN, from('203.0.113.8'), SINGLE).then((permit) => (third = permit));
		await Promise.resolve();
		expect(third).toBeUndefined();
		held[0].release(true);
		held[1].release(true);
		await pending;
		expect(third).toEqual({ granted: false, reason: 'address' });
	});

	it('a release counts once, whatever calls it twice', async () => {
		const permit = granted(await acquireTokenPermit(ORIGIN, WORKFLOW_CALLER, SINGLE));
		permit.release(true);
		permit.release(true);
		expect(recentTokenErrors(ORIGIN, WORKFLOW_CALLER)).toBe(1);
	});

	it('sends nothing for 10 minutes after OpenPlatform said the IP is blocked', async () => {
		markBlocked(ORIGIN);
		expect(await acquireTokenPermit(ORIGIN, WORKFLOW_CALLER, SINGLE)).toEqual({ granted: false, reason: 'blocked' });
		expect(await acquireTokenPermit(ORIGIN, from('10.0.0.1'), SINGLE)).toEqual({ granted: false, reason: 'blocked' });
		jest.setSystemTime(Date.now() + TOKEN_ERROR_WINDOW_MS + 1);
		expect((await acquireTokenPermit(ORIGIN, WORKFLOW_CALLER, SINGLE)).granted).toBe(true);
	});

	it('splits the budget between n8n processes so that together they stay under the 11 failures, each keeping at least one', () => {
		for (let processes = 1; processes <= MAX_N8N_PROCESSES; processes++) {
			const workflow = processShare('workflow', processes);
			const webhook = processShare('webhook', processes);
			expect(workflow).toBeGreaterThanOrEqual(1);
			expect(processShare('perAddress', processes)).toBeLessThanOrEqual(webhook);
			expect(processes * (workflow + webhook)).toBeLessThan(11);
		}
		expect([1, 2, 3, 4, 5].map((processes) => processShare('workflow', processes))).toEqual([5, 2, 1, 1, 1]);
		// Out of range (a credential saved by hand): never more than the single-process share, never less than 1 process's.
		expect(processShare('workflow', 0)).toBe(TOKEN_ERROR_BUDGET.workflow);
		expect(processShare('workflow', 9)).toBe(processShare('workflow', MAX_N8N_PROCESSES));
	});

	it('holds a process of a fleet of 4 to one token request at a time and one error per 10 minutes', async () => {
		const first = granted(await acquireTokenPermit(ORIGIN, WORKFLOW_CALLER, 4));
		let second: TokenPermit | undefined;
		const pending = acquireTokenPermit(ORIGIN, WORKFLOW_CALLER, 4).then((permit) => (second = permit));
		await Promise.resolve();
		expect(second).toBeUndefined();
		first.release(true);
		await pending;
		expect(second).toEqual({ granted: false, reason: 'budget' });
		// The same record judged for a single n8n still has room: each request is judged by its credential's setting.
		expect((await acquireTokenPermit(ORIGIN, WORKFLOW_CALLER, SINGLE)).granted).toBe(true);
	});
});
