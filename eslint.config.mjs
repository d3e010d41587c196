import { config } from '@n8n/node-cli/eslint';

// The n8n rules are for code that ships in dist/. Tests, simulators and scripts run on the
// developer's Node (they need timers and process), so they are type-checked by `npm run typecheck`
// instead of linted here.
export default [{ ignores: ['test/**', 'bench/**', 'scripts/**', '.ci/**', 'examples/**', 'gulpfile.js', 'jest.config.js'] }, ...config];
