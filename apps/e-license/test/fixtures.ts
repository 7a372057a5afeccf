import {
  demoBusinessLicense,
  demoResidenceCertificate,
  DEMO_ISSUING_AUTHORITY,
} from '../src/demo/demo-catalogue.js';
import type { LicenseSuite } from './license-suite.js';

export const citizen = { name: '张小三', codeType: '111', code: '11010519491231002X' };
export const company = { name: '示例科技有限公司', codeType: '001', code: '91350100M000100145' };

export const residence = (extra: Record<string, unknown> = {}, holder = citizen) => ({
  typeCode: demoResidenceCertificate.code,
  issuerUscc: DEMO_ISSUING_AUTHORITY.uscc,
  holder,
  fields: {
    address: '福州市鼓楼区八一七北路1号',
    since: '2020-05-01',
    purpose: '子女入学',
    ...extra,
  },
});

export const businessLicense = () => ({
  typeCode: demoBusinessLicense.code,
  issuerUscc: DEMO_ISSUING_AUTHORITY.uscc,
  holder: company,
  fields: {
    legalRepresentative: '李四',
    registeredCapital: '100万元人民币',
    scope: '软件开发；信息技术咨询服务',
    address: '福州市鼓楼区五四路1号',
  },
});

export interface Issued {
  license: {
    id: string;
    identifier: string;
    status: string;
    documentSha256: string;
    licenseNumber: string;
    version: number;
    typeCode: string;
  };
  verificationCode: string;
}

export async function issue(
  t: LicenseSuite,
  clerk: string,
  body: unknown = residence(),
): Promise<Issued> {
  const res = await t.api('/v1/licenses', { token: clerk, body });
  const json = (await res.json()) as Issued;
  if (res.status !== 201) throw new Error(`issuance failed: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export async function verify(t: LicenseSuite, issued: Issued) {
  const res = await t.api('/v1/verification', {
    body: { identifier: issued.license.identifier, code: issued.verificationCode },
  });
  return (await res.json()) as { valid: boolean; status: string; outcome: string };
}
