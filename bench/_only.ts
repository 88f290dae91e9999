// quick: run only our subjects of b and c through the real harness (no baselines)
import { cases, runCases } from './run';
import { benchInputs } from './inputs';
import { registerWorkflowCases } from './cases/workflow';
(async () => {
  const inputs = benchInputs();
  await registerWorkflowCases(cases, inputs);
  for (const c of cases) delete c.baseline;
  await runCases(process.argv[2]);
})();
