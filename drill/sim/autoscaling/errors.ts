import { AutoScalingServiceException } from '@aws-sdk/client-auto-scaling';
import { serviceError } from '../aws-errors';

/** Auto Scaling's ValidationError (HTTP 400): the request broke a documented constraint. */
export function validationError(message: string): Error {
  return serviceError(AutoScalingServiceException, 'ValidationError', message);
}
