// A page script calling a sync helper of another module that blocks: reported at the call, with the chain.
/// <reference lib="dom" />
import { update } from './shared.js';

document.getElementById('go')?.addEventListener('click', () => {
  update(() => {}); // expect: blocking-on-main-thread
});
