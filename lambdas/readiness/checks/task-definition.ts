import type { ServiceCheckSpec } from '../check-spec';
import { fail, pass } from '../outcome';
import { noTaskDefinitionFix, taskDefinitionFix } from '../service-fixes';

/**
 * `task-definition`, per service: its task definition is ACTIVE and runs the configured image
 * (`services[].image`).
 */
export const taskDefinitionCheck: ServiceCheckSpec = {
  id: 'task-definition',
  scope: 'service',
  what: (s, svc) =>
    `the task definition of ${s.ecsClusterName}/${svc.ecsService} is ACTIVE and runs ${svc.image}`,
  run: async (s, reads, svc) => {
    const what = taskDefinitionCheck.what(s, svc);
    const td = await reads.serviceTaskDefinition(svc);
    if (typeof td === 'string') {
      return fail('task-definition', what, td, await noTaskDefinitionFix(s, reads, svc));
    }
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
        taskDefinitionFix(s, svc, false),
      );
    }
    const images = (td.containerDefinitions ?? []).map((c) => c.image ?? '');
    if (!images.includes(svc.image)) {
      return fail(
        'task-definition',
        what,
        `task definition ${label} runs ${images.join(', ') || 'no image'}, not its configured image ${svc.image}`,
        taskDefinitionFix(s, svc, true),
      );
    }
    return pass('task-definition', `task definition ${label} is ACTIVE and runs ${svc.image}`);
  },
};
