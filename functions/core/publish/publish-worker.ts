// A publish pool's worker thread (publish-pool.ts): runs the jobs it is sent, one at a time.
import { parentPort } from 'node:worker_threads';
import { type PublishJob, runPublishJob } from './publish-jobs.ts';

const port = parentPort;
if (!port) throw new Error('publish-worker.ts runs as a worker thread of publish-pool.ts');
port.on('message', (job: PublishJob) => {
  runPublishJob(job).then(
    () => port.postMessage({ ok: true }),
    (error: Error) => port.postMessage({ ok: false, message: error.message }),
  );
});
