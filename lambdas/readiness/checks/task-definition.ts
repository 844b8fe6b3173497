import type { ReadinessCheckSpec } from '../check-spec';
import { fail, pass } from '../outcome';

/** `task-definition`: the service's task definition is ACTIVE and runs the configured image (`app.image`). */
export const taskDefinitionCheck: ReadinessCheckSpec = {
  id: 'task-definition',
  what: (s) =>
    `the task definition of ${s.ecsClusterName}/${s.ecsServiceName} is ACTIVE and runs ${s.appImage}`,
  run: async (s, reads) => {
    const what = taskDefinitionCheck.what(s);
    const deploy = "deploy this region's service stack (it registers the task definition with app.image)";
    const td = await reads.serviceTaskDefinition();
    if (typeof td === 'string') return fail('task-definition', what, td, deploy);
    // family:revision, as the console and the CLI name it; the ARN's last segment is the same.
    const label =
      td.family !== undefined && td.revision !== undefined
        ? `${td.family}:${td.revision}`
        : (td.taskDefinitionArn?.split('/').pop() ?? 'the task definition');
    if (td.status !== 'ACTIVE') {
      return fail(
        'task-definition',
        what,
        `task definition ${label} is ${td.status ?? 'in an unknown state'}: a new task cannot start from it`,
        deploy,
      );
    }
    const images = (td.containerDefinitions ?? []).map((c) => c.image ?? '');
    if (!images.includes(s.appImage)) {
      return fail(
        'task-definition',
        what,
        `task definition ${label} runs ${images.join(', ') || 'no image'}, not app.image ${s.appImage}`,
        `deploy this region's service stack so both regions run app.image, or set app.image to the image in use`,
      );
    }
    return pass('task-definition', `task definition ${label} is ACTIVE and runs ${s.appImage}`);
  },
};
