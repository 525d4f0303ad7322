/**
 * History <-> the standard JSON history format (what `temporal workflow show --output json` writes).
 *
 * Why not @temporalio/common's historyToJSON/historyFromJSON: in this install @temporalio/common and
 * @temporalio/proto each carry their own copy of protobufjs 8 (the root has protobufjs 7 for another
 * package), so common's protojson rejects proto's types ("type must be a Type"). Using the protojson of the
 * copy that @temporalio/proto itself loads keeps one protobufjs on both sides.
 */
import path from 'node:path';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';

type History = proto.temporal.api.history.v1.IHistory;

interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, opts?: { ignoreUnknownFields?: boolean }): unknown;
}

const protojson = require(
  require.resolve('protobufjs/ext/protojson', { paths: [path.dirname(require.resolve('@temporalio/proto'))] }),
) as ProtoJson;
const historyType = (patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown }).lookupType(
  'temporal.api.history.v1.History',
);

export function historyToJSON(history: History): string {
  return JSON.stringify(
    protojson.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history)),
    null,
    2,
  );
}

export function historyFromJSON(json: unknown): History {
  const loaded = protojson.fromJson(historyType, json, { ignoreUnknownFields: true });
  if (!loaded) throw new TypeError('invalid history JSON');
  return loaded;
}
