// A long-running process for shutdown.test.ts: reports why it stopped in $FIXTURE_OUT, after
// writing to stdout (which fails once its reader is gone).
import { writeFileSync } from 'node:fs';

import { onShutdown } from '../index';

const out = process.env.FIXTURE_OUT as string;
setInterval(() => undefined, 60_000); // stays alive until stopped
onShutdown((reason) => {
  for (let i = 0; i < 200; i++) console.log(`stopping (${reason}) ${'.'.repeat(1000)}`);
  setTimeout(() => {
    writeFileSync(out, reason);
    process.exit(0);
  }, 200);
});
console.log('ready');
