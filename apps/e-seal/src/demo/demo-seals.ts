import { usccCheckCharacter } from '#common';
import { SealType } from '../seals/seal-lifecycle.js';

// TODO(e-seal): identity's demo codes fail the GB 11714 organisation-code check; they are
// copied as identity computes them so that role units match.
function uscc(first17: string): string {
  return first17 + usccCheckCharacter(first17);
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
    ownerUscc: uscc('91110105MA0000001'),
    ownerName: '示例科技有限公司',
    name: '示例科技有限公司',
    type: SealType.LegalName,
    allowedClients: ['demo-business'],
  },
  {
    id: '5ea10000-0000-4000-8000-000000000002',
    ownerUscc: uscc('91110105MA0000001'),
    ownerName: '示例科技有限公司',
    name: '示例科技有限公司合同专用章',
    type: SealType.SpecialPurpose,
    allowedClients: ['demo-business'],
  },
  {
    id: '5ea10000-0000-4000-8000-000000000003',
    ownerUscc: uscc('11110105MB0000002'),
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
