import { operatorApiConnection } from '../../../nodes/Operator/credentialTest';
import { Operator } from '../../../nodes/Operator/Operator.node';
import { OperatorTrigger } from '../../../nodes/OperatorTrigger/OperatorTrigger.node';
import { OperatorApi } from '../../../credentials/OperatorApi.credentials';
import { itIsTestedByEachNode, testButtonOf } from '../../credentials/credentialTest';
import { startOperatorSimulator, type OperatorSimulator } from '../../simulators/operator';

let simulator: OperatorSimulator;

beforeAll(async () => {
	simulator = await startOperatorSimulator({ token: 'right-token-4411' });
});
afterAll(async () => await simulator.close());
beforeEach(() => simulator.clearSends());

const testButton = testButtonOf(operatorApiConnection, 'operatorApi');

describe('Operator Panel API credential test', () => {
	itIsTestedByEachNode(
		new OperatorApi(),
		[
			['Operator Panel', new Operator()],
			['Operator Panel Trigger', new OperatorTrigger()],
		],
		'operatorApiConnection',
		operatorApiConnection,
	);

	it('tells a right token from a wrong one without posting a message', async () => {
		expect(await testButton({ apiUrl: simulator.url, apiToken: 'right-token-4411' })).toEqual({
			status: 'OK',
			message: 'The panel accepted the API token',
		});
		expect(await testButton({ apiUrl: simulator.url, apiToken: 'wrong' })).toEqual({ status: 'Error', message: 'The panel refused the API token' });
		expect(simulator.sends.map((entry) => entry.fields.action)).toEqual(['check_token', 'check_token']);
		expect(simulator.sends.every((entry) => !entry.accepted)).toBe(true);
	});

	it('reports a URL with no Operator API behind it', async () => {
		const result = await testButton({ apiUrl: `${simulator.url}/nothing-here`, apiToken: 'right-token-4411' });
		expect(result).toEqual({ status: 'Error', message: 'No Operator API at this URL' });
	});

	it('names the field when the URL is not a URL, and sends nothing', async () => {
		const result = await testButton({ apiUrl: 'panel.example', apiToken: 'right-token-4411' });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('API Endpoint URL');
		expect(simulator.sends).toHaveLength(0);
	});

	it('reports an unreachable panel without retrying and without the token in the message', async () => {
		const result = await testButton({ apiUrl: 'http://127.0.0.1:9/api', apiToken: 'secret-token-never-shown' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/Operator panel/);
		expect(result.message).not.toContain('secret-token-never-shown');
	});

	it('turns a failing panel (HTTP 500) into an error, not an OK', async () => {
		simulator.failNext(500, { error: 'Internal error' });
		const result = await testButton({ apiUrl: simulator.url, apiToken: 'right-token-4411' });
		expect(result).toEqual({ status: 'Error', message: 'The panel failed to answer (HTTP 500); try again later' });
	});
});
