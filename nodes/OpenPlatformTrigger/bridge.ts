/**
 * The script an app page inside OpenPlatform includes to relay SENDCOMMAND calls: OpenPlatform
 * delivers commands only to app windows (OP.on('command')), so the page forwards them to the
 * trigger with the session's verify URL. It posts text/plain in no-cors mode: a simple request,
 * so no CORS preflight is needed and nothing about n8n's answer is exposed to the page.
 */
export function bridgeScript(relayUrl: string): string {
	return `(function () {
	var relayUrl = ${JSON.stringify(relayUrl)};
	var verifyUrl = new URLSearchParams(window.location.search).get('openplatform');
	function relay(type, body) {
		fetch(relayUrl, {
			method: 'POST',
			mode: 'no-cors',
			headers: { 'content-type': 'text/plain' },
			body: JSON.stringify({ type: type, body: body, openplatform: verifyUrl }),
		});
	}
	function attach() {
		if (!window.OP || typeof window.OP.on !== 'function') return false;
		window.OP.on('command', relay);
		return true;
	}
	if (!attach()) {
		var attempts = 0;
		var timer = window.setInterval(function () {
			if (attach() || ++attempts > 100) window.clearInterval(timer);
		}, 100);
	}
})();
`;
}
