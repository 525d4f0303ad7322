/**
 * A ticket worker in its own process, for the interleaving test to kill with SIGKILL: the workflows it held
 * in its cache (and its sticky queue) are lost the way a crashed worker loses them. Reads the prebuilt
 * workflow bundle the test wrote, so a restart takes about a second.
 * Usage: tsx interleave-worker.ts <taskQueue> <bundlePath> <seed>
 */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../../../activities';
import { testTemporalAddress } from '../../helpers/infra';
import { interleaveScenarios } from './interleave-cases';
import { jitteryPublisher, randomFrom } from './interleave';
import { createScriptedIntelligence } from './scripted-intelligence';

async function main(): Promise<void> {
  const [taskQueue, codePath, seed] = process.argv.slice(2);
  if (!taskQueue || !codePath) throw new Error('usage: interleave-worker.ts <taskQueue> <bundlePath> <seed>');
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const { intelligence } = createScriptedIntelligence(interleaveScenarios());
  const { publisher } = jitteryPublisher(randomFrom(Number(seed ?? 1)), 80);
  const connection = await NativeConnection.connect({ address: testTemporalAddress() });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowBundle: { codePath },
    activities: createActivities({ intelligence, publisher }),
    // A task sent to this worker's sticky queue after it died goes back to the shared queue within a second.
    stickyQueueScheduleToStartTimeout: '1s',
  });
  process.stdout.write('ready\n');
  await worker.run();
}

main().catch((err: unknown) => {
  process.stderr.write(`interleave-worker: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
