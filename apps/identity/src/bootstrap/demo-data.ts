import { completeUscc, residentIdCheckDigit } from '#common';

/** A resident ID number with a correct GB 11643 check digit, from its first 17 digits. */
function residentId(first17: string): string {
  return first17 + residentIdCheckDigit(first17);
}

/** A USCC valid under GB 32100 and, for its organisation code part, GB 11714. */
function uscc(first16: string): string {
  return completeUscc(first16);
}

/** Demo accounts, written into apps/identity/README.md. Fictitious people and organisations. */
export const DEMO = {
  business: {
    clientId: 'demo-business',
    secret: 'demo-business-secret-change-me',
    redirectUris: ['http://localhost:4000/callback', 'http://127.0.0.1:4000/callback'],
    postLogoutRedirectUris: ['http://localhost:4000/', 'http://127.0.0.1:4000/'],
    backchannelLogoutUri: 'http://localhost:4000/backchannel-logout',
  },
  citizen: {
    username: 'zhangsan',
    name: '张三',
    idNumber: residentId('11010519900307351'),
    phone: '13800138001',
    email: 'zhangsan@example.cn',
    password: 'Zhangsan#2024',
  },
  agent: {
    username: 'lisi',
    name: '李四',
    idNumber: residentId('44030419881112432'),
    phone: '13900139002',
    email: 'lisi@example.cn',
    password: 'Lisi#2024demo',
  },
  organisation: { name: '示例科技有限公司', uscc: uscc('91110105MA000000') },
  authority: { name: '示例市市场监督管理局', uscc: uscc('11110105MB000000') },
  /** e-license's demo issuing authority (apps/e-license/src/demo/demo-catalogue.ts). */
  licenseAuthority: { name: '福州市政务服务管理局（演示）', uscc: uscc('11350100MB000001') },
  officer: { username: 'officer', name: '王五', password: 'Officer#2024' },
  clerk: { username: 'clerk', name: '赵六', password: 'Clerk#2024demo' },
  archivist: { username: 'archivist', name: '钱七', password: 'Archivist#2024', fonds: 'J001' },
} as const;
