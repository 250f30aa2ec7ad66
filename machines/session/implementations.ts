/**
 * The session's named guards and actions, joined onto the base `setup()` with `.extend()`: the
 * chart (session.machine.ts) refers to them by name.
 */
import { connectionActions } from './actions/connection.js';
import { intentActions } from './actions/intents.js';
import { parentActions } from './actions/parent.js';
import { playbackActions } from './actions/playback.js';
import { reportActions } from './actions/reports.js';
import { requestActions } from './actions/requests.js';
import { resumptionActions } from './actions/resumption.js';
import { toolActions } from './actions/tools.js';
import { updateActions } from './actions/updates.js';
import { sessionGuards } from './guards.js';
import { sessionBase } from './setup.js';

export const sessionSetup = sessionBase.extend({
  guards: sessionGuards,
  actions: {
    ...parentActions,
    ...connectionActions,
    ...reportActions,
    ...intentActions,
    ...requestActions,
    ...toolActions,
    ...playbackActions,
    ...updateActions,
    ...resumptionActions,
  },
});
