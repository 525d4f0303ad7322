/** The shipped embedding models as a configured choice: which folder holds which model, how each pools its
 * tokens, and EMBEDDING_MODEL's place in the config. No model runs here (only MiniLM is installed by default). */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../core/config';
import { DIMENSIONS, EMBEDDING_MODELS, modelFilesPresent, modelIn, pool } from '../../core/embedding';
import { problemsOf } from '../helpers/config-problems';

const made: string[] = [];
after(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function folderWith(...files: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedding-models-'));
  made.push(dir);
  for (const f of files) fs.writeFileSync(path.join(dir, f), '');
  return dir;
}

describe('embedding models', () => {
  it('knows a model by its two files in a folder, and none by one file alone', () => {
    const bge = EMBEDDING_MODELS['bge-small-en-v15-q'];
    assert.equal(modelIn(folderWith(bge.modelFile, bge.tokenizerFile))?.id, 'bge-small-en-v15-q');
    const e5 = EMBEDDING_MODELS['e5-small-v2-q'];
    assert.equal(modelIn(folderWith(e5.modelFile, e5.tokenizerFile))?.prefix, 'query: ');
    const lone = folderWith(bge.modelFile);
    assert.equal(modelIn(lone), undefined);
    assert.equal(modelFilesPresent(lone), false);
  });

  it('pools by [CLS] for BGE and by the mean for the others, at unit length', () => {
    const hidden = new Float32Array(3 * DIMENSIONS);
    hidden[0] = 3; // token 0 ([CLS]) points along dimension 0
    hidden[DIMENSIONS + 1] = 3; // tokens 1 and 2 along dimension 1
    hidden[2 * DIMENSIONS + 1] = 3;
    const cls = pool(hidden, 3, 'cls');
    assert.deepEqual([cls[0], cls[1]], [1, 0]);
    const mean = pool(hidden, 3, 'mean');
    assert.ok(Math.abs(mean[0]! - 1 / Math.sqrt(5)) < 1e-6 && Math.abs(mean[1]! - 2 / Math.sqrt(5)) < 1e-6);
    assert.equal(EMBEDDING_MODELS['bge-small-en-v15-q'].pooling, 'cls');
  });
});

describe('EMBEDDING_MODEL', () => {
  it('defaults to MiniLM in the folder it always had, so installed caches stay valid', () => {
    const t = loadConfig({ TICKETFLOW_TOOLS_DIR: '/tools' }).triage;
    assert.equal(t.embeddingModel, 'all-minilm-l6-v2-q');
    assert.equal(t.embeddingDir, path.join('/tools', 'minilm-l6-v2-q-1.19.0-beta29'));
  });

  it("takes each model's own version and folder, a version override, and an explicit folder", () => {
    const bge = loadConfig({ TICKETFLOW_TOOLS_DIR: '/tools', EMBEDDING_MODEL: 'bge-small-en-v15-q' }).triage;
    assert.equal(bge.embeddingVersion, '0.36.2');
    assert.equal(bge.embeddingDir, path.join('/tools', 'bge-small-en-v15-q-0.36.2'));
    const e5 = { TICKETFLOW_TOOLS_DIR: '/tools', EMBEDDING_MODEL: 'e5-small-v2-q', EMBEDDING_MODEL_VERSION: '0.36.1' };
    assert.equal(loadConfig(e5).triage.embeddingDir, path.join('/tools', 'e5-small-v2-q-0.36.1'));
    assert.equal(loadConfig({ ...e5, EMBEDDING_MODEL_DIR: '/m' }).triage.embeddingDir, '/m');
  });

  it('refuses an unknown model and a version that is not one, naming each variable', () => {
    const problems = problemsOf({ EMBEDDING_MODEL: 'gte-small', EMBEDDING_MODEL_VERSION: '1.0 beta' }).join('\n');
    assert.match(problems, /EMBEDDING_MODEL: .*all-minilm-l6-v2-q/);
    assert.match(problems, /EMBEDDING_MODEL_VERSION: must be a Maven version/);
  });
});
