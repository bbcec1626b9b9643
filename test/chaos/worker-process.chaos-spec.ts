import { TestSystem, WorkerProcess } from '@fairshare/testing';

// The harness the chaos suites rely on: the real worker as an OS process, killed with SIGKILL.
describe('worker process harness (chaos)', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await TestSystem.start({ worker: false });
  });
  afterAll(() => sys.stop());

  it('starts the real worker against the test system, survives kill -9 and starts again', async () => {
    const first = await WorkerProcess.start(sys.config);
    await first.crash();
    expect(first.child.signalCode).toBe('SIGKILL');
    const second = await WorkerProcess.start(sys.config);
    expect(second.logs).toMatch(/Worker ready/);
    await second.stop();
    expect(second.child.exitCode).toBe(0);
  });
});
