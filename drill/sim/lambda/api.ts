import {
  type GetFunctionCommandInput,
  InvalidParameterValueException,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import type { SimApi } from '../api';
import { modeledError } from '../aws-errors';

/** The simulated Lambda control plane: GetFunction over the deployed orchestrator's functions. */

/** Seconds before the drill the functions were last updated (the stack's deploy, as seed.ts). */
const DEPLOYED_AT = -86_400;
/** Lambda's function name or ARN pattern (API reference), loosely: a name, or a lambda ARN. */
const FUNCTION_NAME =
  /^(arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:)?[a-zA-Z0-9-_]+(:(\$LATEST|[a-zA-Z0-9-_]+))?$/;

export const lambdaApi: SimApi = {
  GetFunction: (raw, world, region) => {
    const input = raw as GetFunctionCommandInput;
    const name = input.FunctionName ?? '';
    if (!FUNCTION_NAME.test(name)) {
      throw modeledError(
        InvalidParameterValueException,
        `1 validation error detected: Value '${name}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern`,
      );
    }
    const fn = world.deployed.lambda.find(region, name);
    if (fn === undefined || (input.Qualifier !== undefined && input.Qualifier !== '$LATEST')) {
      const arn = name.startsWith('arn:')
        ? name
        : `arn:${world.names.partition}:lambda:${region}:${world.config.regions.main.account}:function:${name}`;
      throw modeledError(ResourceNotFoundException, `Function not found: ${arn}`, 404);
    }
    return {
      Configuration: {
        FunctionName: fn.name,
        FunctionArn: fn.arn,
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Timeout: fn.timeoutSeconds,
        MemorySize: fn.memorySize,
        Architectures: ['arm64'],
        PackageType: 'Zip',
        Version: '$LATEST',
        LastModified: world.clock.dateAt(DEPLOYED_AT).toISOString().replace('Z', '+0000'),
        State: fn.state,
        ...(fn.state === 'Failed'
          ? { StateReason: 'The function could not be created.', StateReasonCode: 'InternalError' }
          : {}),
        LastUpdateStatus: 'Successful',
        TracingConfig: { Mode: 'Active' },
      },
      Code: {
        RepositoryType: 'S3',
        Location: `https://awslambda-${region}-tasks.s3.${region}.amazonaws.com/snapshots/${fn.name}`,
      },
    };
  },
};
