import { ServiceTokenClient } from '#auth';
import { makeSimplePdf } from '#pdf';
import { DEMO_SEALS } from '../src/demo/demo-seals.js';
import { startSealTestSuite, type SealTestSuite } from '../src/testing/seal-test-suite.js';
import { api, sealPdf, verifyPdf } from '../src/testing/seal-fixtures.js';

describe('demo seals (DEMO_DATA=true)', () => {
  let t: SealTestSuite;

  beforeAll(async () => {
    t = await startSealTestSuite({ DEMO_DATA: 'true' });
  });

  afterAll(() => t.stop());

  it.each(DEMO_SEALS.map((s) => [s.name, s.id]))(
    'has %s in use from the first start',
    async (_name, id) => {
      const status = await api(t, undefined, 'GET', `/v1/seals/${id}/status`);

      expect(status.json).toMatchObject({ validAt: true, statusAt: 'in_use' });
    },
  );

  it('lets e-license seal with its authority’s demo seal using its identity token', async () => {
    const seal = DEMO_SEALS.find((s) => s.ownerUscc === '11350100MB0000019U')!;
    const token = await new ServiceTokenClient(t.ctx, 'e-license').getToken('e-seal', [
      'seal:apply',
    ]);

    const res = await sealPdf(t, token, await makeSimplePdf(), {
      sealId: seal.id,
      x: '400',
      y: '60',
    });
    const report = await verifyPdf(t, Buffer.from(await res.arrayBuffer()));

    expect(res.status).toBe(200);
    expect(report.signatures[0]).toMatchObject({
      indication: 'TOTAL_PASSED',
      seal: { sealId: seal.id, ownerName: seal.ownerName },
    });
  });
});
