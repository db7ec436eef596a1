import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { ExportSnapshot } from './exports.repository';

/**
 * A PostgresQueryRunner holding a pooled connection: TypeORM's own release code runs, and `poolRelease` stands for the
 * release function pg-pool gave with the client (called with an error, the pool destroys the client).
 */
function runnerOnPool(commit: () => Promise<unknown>) {
  const poolRelease = jest.fn();
  const driver = { connectedQueryRunners: [] as unknown[] };
  const runner = Object.assign(Object.create(PostgresQueryRunner.prototype) as PostgresQueryRunner, { driver, isReleased: false, releaseCallback: poolRelease });
  driver.connectedQueryRunners.push(runner);
  jest.spyOn(runner, 'query').mockImplementation(commit as () => Promise<never>);
  return { runner, poolRelease, driver };
}

describe('ExportSnapshot.end', () => {
  it('hands the connection back to the pool once COMMIT has ended the transaction', async () => {
    const { runner, poolRelease, driver } = runnerOnPool(() => Promise.resolve([]));
    await new ExportSnapshot(runner).end();
    expect(runner.query).toHaveBeenCalledWith('COMMIT');
    expect(poolRelease).toHaveBeenCalledTimes(1);
    expect(poolRelease).toHaveBeenCalledWith(undefined);
    expect(driver.connectedQueryRunners).toEqual([]);
  });

  it('has the pool destroy the connection when COMMIT fails: it may still be inside the READ ONLY transaction', async () => {
    const failure = new Error('Connection terminated unexpectedly');
    const { runner, poolRelease, driver } = runnerOnPool(() => Promise.reject(failure));
    const s = new ExportSnapshot(runner);
    await expect(s.end()).rejects.toBe(failure);
    expect(poolRelease).toHaveBeenCalledTimes(1);
    expect(poolRelease).toHaveBeenCalledWith(failure);
    expect(runner.isReleased).toBe(true);
    expect(driver.connectedQueryRunners).toEqual([]);
    // Once, whoever calls it.
    await expect(s.end()).rejects.toBe(failure);
    expect(poolRelease).toHaveBeenCalledTimes(1);
  });
});
