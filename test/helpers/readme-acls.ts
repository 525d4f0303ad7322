/**
 * The ACLs the README's "Kafka ACLs" section gives, read from the README itself and turned into kafkajs
 * `createAcls` entries, so the test applies exactly what an operator would copy. Only the `kafka-acls.sh`
 * flags that section uses are understood; any other flag fails loudly rather than being skipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes, type AclEntry } from 'kafkajs';

const readme = path.join(__dirname, '..', '..', 'README.md');

/** The `acl ...` command lines of the section's first sh block, continuation lines joined. */
export function readmeAclLines(text = fs.readFileSync(readme, 'utf8')): string[] {
  const section = text.split('#### Kafka ACLs')[1];
  const block = section?.match(/```sh\n([\s\S]*?)```/)?.[1];
  if (!block) throw new Error('README: no sh block under "#### Kafka ACLs"');
  return block
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('acl '));
}

const operations: Record<string, AclOperationTypes> = {
  Read: AclOperationTypes.READ,
  Write: AclOperationTypes.WRITE,
  Create: AclOperationTypes.CREATE,
  Delete: AclOperationTypes.DELETE,
  Alter: AclOperationTypes.ALTER,
  Describe: AclOperationTypes.DESCRIBE,
  IdempotentWrite: AclOperationTypes.IDEMPOTENT_WRITE,
};

/** One command line as kafka-acls.sh --add reads it: every principal x operation x resource, allowed. */
export function aclEntries(line: string): AclEntry[] {
  const words = line.split(/\s+/).slice(1);
  const principals: string[] = [];
  const ops: AclOperationTypes[] = [];
  const resources: { resourceType: AclResourceTypes; resourceName: string }[] = [];
  let pattern = ResourcePatternTypes.LITERAL;
  for (let i = 0; i < words.length; i++) {
    const flag = words[i]!;
    const value = () => {
      const v = words[++i];
      if (v === undefined) throw new Error(`README ACL: ${flag} needs a value in: ${line}`);
      return v;
    };
    if (flag === '--allow-principal') principals.push(value());
    else if (flag === '--operation') {
      const name = value();
      const op = operations[name];
      if (op === undefined) throw new Error(`README ACL: unknown operation ${name}`);
      ops.push(op);
    } else if (flag === '--topic') resources.push({ resourceType: AclResourceTypes.TOPIC, resourceName: value() });
    else if (flag === '--group') resources.push({ resourceType: AclResourceTypes.GROUP, resourceName: value() });
    else if (flag === '--cluster')
      resources.push({ resourceType: AclResourceTypes.CLUSTER, resourceName: 'kafka-cluster' });
    else if (flag === '--resource-pattern-type') {
      const type = value();
      if (type !== 'prefixed' && type !== 'literal') throw new Error(`README ACL: pattern type ${type}`);
      pattern = type === 'prefixed' ? ResourcePatternTypes.PREFIXED : ResourcePatternTypes.LITERAL;
    } else throw new Error(`README ACL: flag ${flag} is not understood by this test: ${line}`);
  }
  if (principals.length === 0 || ops.length === 0 || resources.length === 0)
    throw new Error(`README ACL: a principal, an operation and a resource are needed: ${line}`);
  return principals.flatMap((principal) =>
    ops.flatMap((operation) =>
      resources.map((r) => ({
        ...r,
        resourcePatternType: pattern,
        principal,
        host: '*',
        operation,
        permissionType: AclPermissionTypes.ALLOW,
      })),
    ),
  );
}

export function readmeAcls(): AclEntry[] {
  return readmeAclLines().flatMap(aclEntries);
}
