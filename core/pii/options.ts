/** Detection settings from the validated config: the phone region for national numbers, names on or off. */
import { config } from '../config';
import type { DetectOptions } from './types';

export function detectOptions(): DetectOptions {
  const { pii } = config();
  return { region: pii.defaultRegion, names: pii.names };
}
