// `npm run build:native`: builds the trainers' oneDNN kernels now (they build on first use
// otherwise) and says whether they will be used. HZ_REQUIRE_NATIVE=1 (CI, images) makes a failure fatal.
import { loadOnednn } from '@hyperzoo/models';

const loaded = loadOnednn();
if ('addon' in loaded) {
  console.log('oneDNN kernels: built and loaded');
} else {
  console.log(`oneDNN kernels: not available (${loaded.reason}); trainers use the wasm kernels`);
  if (process.env.HZ_REQUIRE_NATIVE === '1') process.exit(1);
}
