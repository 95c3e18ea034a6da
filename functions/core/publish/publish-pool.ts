// Worker threads for the publisher's CPU-heavy files (publish-jobs.ts): while the main thread
// serialises the machine editions and cuts the unit kits, the spreadsheets and the kit zips
// are written on the other cores. Each worker runs one job at a time and takes the next one
// queued; a pool of size 0 runs every job in this thread (the cloud's bundled Lambda, tests).
import { Worker } from 'node:worker_threads';
import { type PublishJob, runPublishJob } from './publish-jobs.ts';

interface Queued {
  job: PublishJob;
  resolve: () => void;
  reject: (error: Error) => void;
}

export class PublishPool {
  private readonly queue: Queued[] = [];
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Queued>();
  private closed = false;

  /** `size` worker threads (0: none, every job runs in this thread). */
  constructor(size: number) {
    for (let i = 0; i < size; i++) this.idle.push(this.start());
  }

  get size(): number {
    return this.idle.length + this.busy.size;
  }

  private start(): Worker {
    const worker = new Worker(new URL('./publish-worker.ts', import.meta.url));
    worker.on('message', (reply: { ok: boolean; message?: string }) => {
      const done = this.busy.get(worker);
      this.busy.delete(worker);
      this.idle.push(worker);
      if (reply.ok) done?.resolve();
      else done?.reject(new Error(reply.message));
      this.next();
    });
    // A worker that dies (out of memory, a crash) fails its job, naming the file.
    const fail = (error: Error) => {
      const done = this.busy.get(worker);
      this.busy.delete(worker);
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
      done?.reject(new Error(`writing ${done.job.path}: publish worker failed: ${error.message}`));
      if (this.size > 0) return;
      for (const queued of this.queue.splice(0))
        queued.reject(new Error(`writing ${queued.job.path}: no publish worker left (${error.message})`));
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!this.closed) fail(new Error(`exited with code ${code}`));
    });
    return worker;
  }

  private next(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const queued = this.queue.shift()!;
      this.busy.set(worker, queued);
      worker.postMessage(queued.job);
    }
  }

  /** Runs `job` on the next free worker (in this thread for a pool of size 0). */
  run(job: PublishJob): Promise<void> {
    if (this.size === 0) return runPublishJob(job);
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.next();
    });
  }

  /** Stops the workers (after the jobs awaited; a pending job is failed). */
  async close(): Promise<void> {
    this.closed = true;
    for (const queued of this.queue.splice(0))
      queued.reject(new Error(`writing ${queued.job.path}: the publish pool was closed`));
    await Promise.all([...this.idle, ...this.busy.keys()].map((worker) => worker.terminate()));
  }
}
