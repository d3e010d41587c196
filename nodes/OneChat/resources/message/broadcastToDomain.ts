import { domain } from '../../schemas';
import { oneRequestPerItem } from './oneRequestPerItem';

export const { description, execute } = oneRequestPerItem('broadcastToDomain', 'massBroadcast', {
	name: 'domain',
	displayName: 'Domain',
	placeholder: 'onechat.net',
	description: 'Every user of this domain receives the message',
	schema: domain,
});
