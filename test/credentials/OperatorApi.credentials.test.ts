import { OperatorApi } from '../../credentials/OperatorApi.credentials';
import { startOperatorSimulator, type OperatorSimulator } from '../simulators/operator';
import { runCredentialTest } from './credentialTest';

let simulator: OperatorSimulator;

beforeAll(async () => {
	simulator = await startOperatorSimulator({ token: 'right-token-4411' });
});
afterAll(async () => await simulator.close());

describe('Operator Panel API credential test', () => {
	it('tells a right token from a wrong one without posting a message', async () => {
		const good = await runCredentialTest(new OperatorApi(), { apiUrl: simulator.url, apiToken: 'right-token-4411' });
		expect(good.status).toBe('OK');
		const bad = await runCredentialTest(new OperatorApi(), { apiUrl: simulator.url, apiToken: 'wrong' });
		expect(bad).toMatchObject({ status: 'Error', message: 'The panel refused the API token' });
		expect(simulator.sends.map((entry) => entry.fields.action)).toEqual(['check_token', 'check_token']);
		expect(simulator.sends.every((entry) => !entry.accepted)).toBe(true);
	});

	it('reports a URL with no Operator API behind it', async () => {
		const result = await runCredentialTest(new OperatorApi(), { apiUrl: `${simulator.url}/nothing-here`, apiToken: 'right-token-4411' });
		expect(result).toMatchObject({ status: 'Error', message: 'No Operator API at this URL' });
	});
});
