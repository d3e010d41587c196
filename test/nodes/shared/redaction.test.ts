import { Redactor } from '../../../nodes/shared/redaction';
import { secretsEqual } from '../../../nodes/shared/webhook';

describe('Redactor', () => {
	const redactor = new Redactor(['s3cret-key-value', undefined, 'ab']);

	it('masks known secrets wherever they appear', () => {
		expect(redactor.text('key s3cret-key-value was refused (s3cret-key-value)')).toBe('key *** was refused (***)');
	});

	it('masks token-like query parameters in URLs', () => {
		expect(redactor.text('GET https://op.example/api/notify/?accesstoken=123-abc&x=1')).toBe(
			'GET https://op.example/api/notify/?accesstoken=***&x=1',
		);
		expect(redactor.text('https://x/?token=abc&apikey=def')).toBe('https://x/?token=***&apikey=***');
	});

	it('does not mask very short values, which would destroy messages', () => {
		expect(redactor.text('about')).toBe('about');
	});

	it('redacts nested values without touching the original', () => {
		const input = { a: ['s3cret-key-value'], b: { c: 'x s3cret-key-value' }, n: 1 };
		expect(redactor.value(input)).toEqual({ a: ['***'], b: { c: 'x ***' }, n: 1 });
		expect(input.a[0]).toBe('s3cret-key-value');
	});
});

describe('secretsEqual', () => {
	it('compares whole values of any length', () => {
		expect(secretsEqual('token-1', 'token-1')).toBe(true);
		expect(secretsEqual('token-1', 'token-2')).toBe(false);
		expect(secretsEqual('short', 'much-longer-token')).toBe(false);
		expect(secretsEqual('', '')).toBe(false);
	});
});
