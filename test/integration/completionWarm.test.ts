// The completion cache is warmed off the keystroke path whenever the node definitions change
// (src/vscode/language/completion.ts `warmCompletionsOnChange`), and a change cancels the warming it supersedes.
import '../helpers/vscode-shim/register';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { vscode } from '../helpers/vscode-shim/control';
import { countingDefs } from '../fixtures/lang/harness';
import { ManualClock } from '../../src/core/util/clock';
import type { NodeDefs } from '../../src/core/workflow/nodeDefs';
import { warmCompletionsOnChange } from '../../src/vscode/language/completion';

test('warms the current definitions, then each new set, on timer turns; dispose cancels', () => {
  const clock = new ManualClock();
  const changed = new vscode.EventEmitter<unknown>();
  const first = countingDefs();
  const second = countingDefs();
  let current: NodeDefs | undefined = first.defs;
  const warming = warmCompletionsOnChange(() => current, changed.event, clock);
  assert.equal(first.gets(), 0, 'not in the activation turn');
  clock.advance(0);
  assert.equal(first.gets(), first.defs.names().length);

  current = second.defs;
  changed.fire(undefined);
  assert.equal(second.gets(), 0, 'not in the turn of the change event');
  assert.ok(clock.pending > 0);
  warming.dispose();
  assert.equal(clock.pending, 0, 'dispose stops the warming');
  clock.advance(0);
  assert.equal(second.gets(), 0);

  current = undefined;
  const none = warmCompletionsOnChange(() => current, changed.event, clock);
  changed.fire(undefined);
  assert.equal(clock.pending, 0, 'no definitions, nothing to warm');
  none.dispose();
});
