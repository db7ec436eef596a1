import { DownloadTooLongError, IdleGuard } from './idle-guard';

describe('IdleGuard', () => {
  it('ends itself at its deadline even before anyone listens, without an unhandled error', async () => {
    const guard = new IdleGuard(60_000, 20);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(guard.destroyed).toBe(true);
    expect(guard.errored).toBeInstanceOf(DownloadTooLongError);
  });
});
