import { createVoxstateInspector } from 'voxstate';
const i = createVoxstateInspector({ url: 'ws://127.0.0.1:1' });
const r = await Promise.race([i.ready.then(() => 'ready'), new Promise((r) => setTimeout(() => r('timeout'), 2000))]);
console.log(r); await i.stop(); console.log('stopped');
