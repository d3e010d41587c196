import { signState, stateKey, verifyState } from '../../../nodes/OpenPlatformTrigger/state';

describe('signed sign-in state', () => {
	const key = stateKey('client-secret', 'workflow-1', 'node-1');

	it('accepts its own state until it expires', () => {
		const state = signState(key, 60_000, 1_000_000);
		expect(verifyState(key, state, 1_030_000)).toMatchObject({ ok: true, state: { exp: 1_060_000 } });
		expect(verifyState(key, state, 1_060_001)).toEqual({ ok: false, reason: 'The sign-in took too long; start again' });
	});

	it('refuses a state signed with another key (other secret, workflow or node)', () => {
		const state = signState(key, 60_000);
		for (const other of [stateKey('other', 'workflow-1', 'node-1'), stateKey('client-secret', 'workflow-2', 'node-1'), stateKey('client-secret', 'workflow-1', 'node-2')]) {
			expect(verifyState(other, state)).toEqual({ ok: false, reason: 'The sign-in state is forged' });
		}
	});

	it('refuses a state whose payload was changed to extend its life', () => {
		const [payload, signature] = signState(key, 1_000, 0).split('.');
		const extended = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), exp: 9e15 })).toString('base64url');
		expect(verifyState(key, `${extended}.${signature}`, 10)).toEqual({ ok: false, reason: 'The sign-in state is forged' });
	});

	it.each([undefined, '', 'abc', 'a.b.c', '.'])('refuses a malformed state %p', (token) => {
		expect(verifyState(key, token).ok).toBe(false);
	});

	it('gives each sign-in its own state', () => {
		expect(signState(key, 1_000, 0)).not.toBe(signState(key, 1_000, 0));
	});
});
