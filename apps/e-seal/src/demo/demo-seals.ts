import { completeUscc } from '#common';
import { SealType } from '../seals/seal-lifecycle.js';

// Identity's demo organisation and authority, built the same way (valid GB 32100 codes whose
// organisation-code part passes GB 11714), so that role units match.
function uscc(first16: string): string {
  return completeUscc(first16);
}

export interface DemoSeal {
  /** Fixed, so other services' demo data can name the seal. */
  id: string;
  ownerUscc: string;
  ownerName: string;
  name: string;
  type: SealType;
  allowedClients: string[];
}

/**
 * Demo seals, in use from the first start (DEMO_DATA). Owners are identity's demo
 * organisation and authority (apps/identity/src/bootstrap/demo-data.ts) and e-license's demo
 * issuing authority (apps/e-license/src/demo/demo-catalogue.ts). Listed in apps/e-seal/README.md.
 */
export const DEMO_SEALS: DemoSeal[] = [
  {
    id: '5ea10000-0000-4000-8000-000000000001',
    ownerUscc: uscc('91110105MA000000'),
    ownerName: '示例科技有限公司',
    name: '示例科技有限公司',
    type: SealType.LegalName,
    allowedClients: ['demo-business'],
  },
  {
    id: '5ea10000-0000-4000-8000-000000000002',
    ownerUscc: uscc('91110105MA000000'),
    ownerName: '示例科技有限公司',
    name: '示例科技有限公司合同专用章',
    type: SealType.SpecialPurpose,
    allowedClients: ['demo-business'],
  },
  {
    id: '5ea10000-0000-4000-8000-000000000003',
    ownerUscc: uscc('11110105MB000000'),
    ownerName: '示例市市场监督管理局',
    name: '示例市市场监督管理局行政审批专用章',
    type: SealType.SpecialPurpose,
    allowedClients: ['svc-e-license'],
  },
  {
    id: '5ea10000-0000-4000-8000-000000000004',
    ownerUscc: '11350100MB0000019U',
    ownerName: '福州市政务服务管理局（演示）',
    name: '福州市政务服务管理局（演示）电子证照专用章',
    type: SealType.SpecialPurpose,
    allowedClients: ['svc-e-license'],
  },
];
