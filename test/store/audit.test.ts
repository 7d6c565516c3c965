import { afterEach, beforeEach, expect, it } from 'vitest';
import { type AuditRepo, auditRepo } from '../../src/store/index.ts';
import { forEachEngine, openTestStore, type TestStore } from '../support/engines.ts';

forEachEngine('audit repository', (engine) => {
  let t: TestStore;
  let audit: AuditRepo;
  beforeEach(async () => {
    t = await openTestStore(engine);
    audit = auditRepo(t.store.db);
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('appends entries and returns their ids in order', async () => {
    const first = await audit.append({ actor: 'cli', action: 'config.set', subject: 'trading.mode' }, 1_000);
    const second = await audit.append(
      { actor: 'dashboard', action: 'leader.add', subject: '0xabc', details: { label: 'whale' } },
      2_000,
    );
    expect(first).toBeTypeOf('number');
    expect(second).toBeGreaterThan(first);
    expect(await audit.tail(10)).toEqual([
      { id: first, at: 1_000, actor: 'cli', action: 'config.set', subject: 'trading.mode', details: {} },
      {
        id: second,
        at: 2_000,
        actor: 'dashboard',
        action: 'leader.add',
        subject: '0xabc',
        details: { label: 'whale' },
      },
    ]);
  });

  it('tails the last entries oldest first, and pages forward after an id', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(await audit.append({ actor: 'system', action: `step.${i}` }, 1_000 + i));

    const last3 = await audit.tail(3);
    expect(last3.map((e) => e.action)).toEqual(['step.2', 'step.3', 'step.4']);
    expect(last3.every((e) => e.subject === null)).toBe(true);

    const page1 = await audit.tail(2, ids[0]);
    expect(page1.map((e) => e.action)).toEqual(['step.1', 'step.2']);
    const page2 = await audit.tail(2, page1.at(-1)!.id);
    expect(page2.map((e) => e.action)).toEqual(['step.3', 'step.4']);
    expect(await audit.tail(2, page2.at(-1)!.id)).toEqual([]);
  });
});
