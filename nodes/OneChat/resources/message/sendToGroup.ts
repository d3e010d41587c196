import { groupJid } from '../../schemas';
import { oneRequestPerItem } from './oneRequestPerItem';

export const { description, execute } = oneRequestPerItem('sendToGroup', 'groupMessage', {
	name: 'jid',
	displayName: 'Group JID',
	placeholder: 'abcdef-123456@muc.onechat.net',
	description: 'The group chat, as id@muc.domain',
	schema: groupJid,
});
