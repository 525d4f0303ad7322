/**
 * The nearest labelled examples as a second voice beside the linear heads. A head draws one straight border
 * per class through the embedding; a ticket phrased like a handful of examples ("the intern who left still
 * opens pull requests") is better judged by those examples themselves. Votes are weighted by similarity,
 * sharpened so the closest few count most. k and the sharpness were chosen by cross-validation on the
 * learning files (`npm run eval:triage -- --cv`).
 */
import { dot } from '../../core/embedding';
import { topics, type Topic } from '../../core/domain';

const K = 10;
/** exp(SHARPNESS * cosine): a neighbour 0.1 closer counts e (2.7) times as much. */
const SHARPNESS = 10;

/** The labelled examples' vectors and the two labels the neighbours vote on. */
export interface Memory {
  vectors: Float32Array[];
  topics: Topic[];
  sensitive: boolean[];
}

export interface NeighbourVotes {
  /** Share of the vote per team, in the order of `topics` (the topic head's classes). */
  topic: number[];
  /** Share of the vote for "sensitive". */
  sensitive: number;
}

export function neighbourVotes(memory: Memory, v: Float32Array): NeighbourVotes {
  const nearest = memory.vectors
    .map((m, i) => [dot(m, v), i] as const)
    .sort((a, b) => b[0] - a[0])
    .slice(0, K);
  const topic = topics.map(() => 0);
  let sensitive = 0;
  let total = 0;
  for (const [similarity, i] of nearest) {
    const w = Math.exp(similarity * SHARPNESS);
    topic[topics.indexOf(memory.topics[i]!)]! += w;
    if (memory.sensitive[i]) sensitive += w;
    total += w;
  }
  return { topic: topic.map((t) => (total ? t / total : 0)), sensitive: total ? sensitive / total : 0 };
}
