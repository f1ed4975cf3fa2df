// `npm run build:native`: builds the trainers' oneDNN convolutions now (they build on first use
// otherwise) and says whether they will be used. HZ_REQUIRE_NATIVE=1 (CI, images) makes a failure fatal.
import { loadOnednnConv } from '@hyperzoo/models';

const loaded = loadOnednnConv();
if ('addon' in loaded) {
  console.log('oneDNN convolutions: built and loaded');
} else {
  console.log(`oneDNN convolutions: not available (${loaded.reason}); trainers use the wasm kernels`);
  if (process.env.HZ_REQUIRE_NATIVE === '1') process.exit(1);
}
