/** PII and secret detection and redaction, for model input, tool results, drafts, feedback and logs. */
export { detect, detectors } from './detectors';
export { isCardNumber, luhnValid } from './card';
export { entropy, looksLikeSecret } from './entropy';
export { piiKinds, type DetectOptions, type Detector, type PiiKind, type PiiMatch } from './types';
export {
  fingerprint,
  maskMatch,
  placeholder,
  redact,
  redactDeep,
  scrub,
  strategies,
  type ScrubResult,
  type Strategy,
} from './strategies';
