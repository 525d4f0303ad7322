/** PII and secret detection and redaction, for model input, tool results, drafts, feedback and logs. */
export { detect, entropy, isCardNumber, looksLikeSecret, luhnValid, piiKinds, type PiiKind, type PiiMatch } from './detectors';
export { fingerprint, maskMatch, placeholder, redact, redactDeep, scrub, strategies, type ScrubResult, type Strategy } from './strategies';
