// The run features and the Queue view wired together as the composition root does, for adapter tests that drive
// queueing and read the tree.
import { registerRunFeatures, type RunFeatureDeps, type RunFeatures } from '../../src/vscode/run/index';
import { registerQueueViewFeatures, type QueueView, type QueueViewDeps } from '../../src/vscode/queueView/index';

export type RunAndQueueView = Omit<RunFeatures, 'dispose'> & QueueView;

export function startRunAndQueueView(deps: RunFeatureDeps & Pick<QueueViewDeps, 'refresh' | 'pageSize'>): RunAndQueueView {
  const run = registerRunFeatures(deps);
  const view = registerQueueViewFeatures({
    connection: deps.connection,
    run,
    log: deps.log,
    ...(deps.refresh ? { refresh: deps.refresh } : {}),
    ...(deps.pageSize !== undefined ? { pageSize: deps.pageSize } : {}),
  });
  return {
    ...run,
    ...view,
    dispose: () => {
      view.dispose();
      run.dispose();
    },
  };
}
