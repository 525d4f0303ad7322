export { createSecurityTools } from './tools';
export { openToolStore, DEMO_TOKENS, type ToolStore } from './store';
export { synthesizeBrief } from './brief';
