/**
 * Throwaway TLS material made with the machine's openssl at test time: a CA and a server certificate it
 * signs for 127.0.0.1 (an IP SAN, which is what a client connecting to 127.0.0.1 checks), a client
 * certificate it signs for one name, and an unrelated CA that a client may trust by mistake. Short-lived EC keys: quick to make, nothing kept.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface TestCertificates {
  /** The CA that signed the server certificate (PEM). */
  caFile: string;
  /** A CA that signed nothing here: trusting it alone must fail. */
  otherCaFile: string;
  /** The server's private key (unencrypted PKCS#8) and its certificate, in one PEM file. */
  serverKeyAndCertFile: string;
  /** A client certificate (CN = the name asked for) and its key, for mutual TLS. */
  client: { certFile: string; keyFile: string };
}

function openssl(dir: string, command: string): void {
  const args = command.split(' ');
  const out = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (out.error) throw new Error(`openssl is needed for the TLS tests: ${out.error.message}`);
  if (out.status !== 0) throw new Error(`openssl ${args[0]} failed: ${out.stderr}`);
}

export function makeTestCertificates(dir: string, clientName: string): TestCertificates {
  fs.mkdirSync(dir, { recursive: true });
  // Relative names without spaces (openssl runs in `dir`), so each command reads as one line.
  const ec = '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes';
  for (const name of ['ca', 'other-ca'])
    openssl(dir, `req -x509 ${ec} -keyout ${name}.key -out ${name}.pem -days 2 -subj /CN=tf-test-${name}`);
  openssl(dir, `req ${ec} -keyout server.key -out server.csr -subj /CN=127.0.0.1`);
  fs.writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(
    dir,
    'x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile san.ext',
  );
  openssl(dir, `req ${ec} -keyout client.key -out client.csr -subj /CN=${clientName}`);
  openssl(dir, 'x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem -days 2');
  const keyAndCert = path.join(dir, 'server-key-and-cert.pem');
  fs.writeFileSync(
    keyAndCert,
    fs.readFileSync(path.join(dir, 'server.key'), 'utf8') + fs.readFileSync(path.join(dir, 'server.pem'), 'utf8'),
  );
  return {
    caFile: path.join(dir, 'ca.pem'),
    otherCaFile: path.join(dir, 'other-ca.pem'),
    serverKeyAndCertFile: keyAndCert,
    client: { certFile: path.join(dir, 'client.pem'), keyFile: path.join(dir, 'client.key') },
  };
}
