import { userJid } from '../../schemas';
import { oneRequestPerItem } from './oneRequestPerItem';

export const { description, execute } = oneRequestPerItem('sendToUser', 'singleMessage', {
	name: 'jid',
	displayName: 'User JID',
	placeholder: '6581234567@onechat.net',
	description: 'The recipient, as name@domain. Use an expression such as {{ $json.jid }} to send to each input item.',
	schema: userJid,
});
