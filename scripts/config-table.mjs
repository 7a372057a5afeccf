// Prints the configuration variables as a Markdown table (for the README), from the one schema.
import { suiteVariables } from '../dist/libs/common/src/config/variables.js';

console.log('| variable | default | secret | meaning |\n|---|---|---|---|');
for (const [name, v] of Object.entries(suiteVariables)) {
  const d = v.schema.safeParse(undefined);
  const def = d.success && d.data !== undefined ? `\`${d.data}\`` : '';
  console.log(`| \`${name}\` | ${def} | ${v.secret ? 'yes' : ''} | ${v.doc} |`);
}
