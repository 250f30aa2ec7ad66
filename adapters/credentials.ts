/**
 * Credentials checked where an adapter is created: an empty key is a configuration mistake (an
 * unset environment variable, usually), reported as one, naming the option, instead of a 401 from
 * the provider. A key given as a function is checked each time it is called.
 */
import { z } from 'zod';
import { ConfigValidationError } from '../errors.js';

export type CredentialSource = string | (() => string | Promise<string>);

/** A `ConfigValidationError` (`invalid_config`) naming `field`. */
export function credentialError(field: string, message: string): ConfigValidationError {
  return optionError(field, message);
}

/** A `ConfigValidationError` (`invalid_config`) naming an adapter option (`field`, dotted). */
export function optionError(field: string, message: string): ConfigValidationError {
  return new ConfigValidationError(new z.ZodError([{ code: 'custom', path: field.split('.'), message, input: undefined }]));
}

/** Throws for an empty key now; wraps a key function so an empty result fails that connection. */
export function requireCredential<T extends CredentialSource>(source: T, field: string): T {
  const emptyMessage = `${field} is empty (is the environment variable that should hold it set?)`;
  if (typeof source === 'string') {
    if (source.trim() === '') throw credentialError(field, emptyMessage);
    return source;
  }
  if (typeof source !== 'function') throw credentialError(field, `${field} must be a string or a function returning one`);
  const wrapped = async (): Promise<string> => {
    const key = await source();
    if (typeof key !== 'string' || key.trim() === '') throw credentialError(field, `the ${field} function returned an empty key`);
    return key;
  };
  return wrapped as T;
}
