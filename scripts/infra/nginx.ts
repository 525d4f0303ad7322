/**
 * nginx, for the test that runs the compose file's load balancer (deploy/nginx-gateways.conf) in front of two
 * real gateways: a system nginx, or Debian's `nginx` package (its service is not started by the install in a
 * container, and the test never uses it: it runs its own nginx on its own ports).
 */
import { aptInstall, canAptInstall } from './apt';
import { isExecutable, which } from './proc';

export function findNginx(): string | undefined {
  return ['/usr/sbin/nginx', '/usr/local/sbin/nginx'].find(isExecutable) ?? which('nginx');
}

/** Finds or installs nginx; throws a message saying what to do when neither works. */
export function ensureNginx(): string {
  const found = findNginx();
  if (found) return found;
  if (!canAptInstall()) throw new Error('the load-balancer test needs nginx: install it (apt-get install nginx)');
  aptInstall(['nginx']);
  const installed = findNginx();
  if (!installed) throw new Error('apt-get installed nginx but no nginx binary was found');
  return installed;
}
