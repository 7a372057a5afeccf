import type { LicenseLayout } from '../catalogue/license-type.entity.js';
import type { CreateLicenseTypeDto } from '../catalogue/license-type.dto.js';

/**
 * Demo data (DEMO_DATA=true or the embedded database): a provincial defining authority, a city
 * issuing authority and two license types. The issuing authority's USCC is the unit of the
 * demo clerk's `license:issue` role in identity and the owner of its seal in e-seal.
 */
export const DEMO_DEFINING_AUTHORITY = {
  name: '福建省政务服务管理局（演示）',
  uscc: '11350000MB0000027H',
};

export const DEMO_ISSUING_AUTHORITY = {
  name: '福州市政务服务管理局（演示）',
  uscc: '11350100MB0000019U',
  regionCode: '350100',
  level: '市级',
};

/** The issuing authority's seal in e-seal's demo data (apps/e-seal/src/demo/demo-seals.ts). */
export const DEMO_SEAL_ID = '5ea10000-0000-4000-8000-000000000004';

/** A4 portrait: the title on top, fields down the left, QR code and seal at the foot. */
export const demoLayout: LicenseLayout = {
  page: 'A4-portrait',
  title: { x: 297.64, y: 730, size: 28 },
  fields: [
    { key: '$licenseNumber', label: '证照编号：', x: 80, y: 660, size: 12 },
    { key: '$holderName', label: '姓　　名：', x: 80, y: 620, size: 14 },
    { key: '$holderCode', label: '身份证件号码：', x: 80, y: 585, size: 12 },
    { key: 'address', label: '居住地址：', x: 80, y: 550, size: 12 },
    { key: 'since', label: '居住起始日期：', x: 80, y: 515, size: 12 },
    { key: 'purpose', label: '证明事项：', x: 80, y: 480, size: 12 },
    { key: '$validity', label: '有效期限：', x: 80, y: 445, size: 12 },
    { key: '$issuerName', label: '发证机关：', x: 80, y: 410, size: 12 },
    { key: '$issueDate', label: '发证日期：', x: 80, y: 375, size: 12 },
  ],
  qr: { x: 420, y: 90, size: 110 },
  verificationCode: { x: 420, y: 74, size: 10 },
  seal: { x: 300, y: 190 },
};

export const demoResidenceCertificate: CreateLicenseTypeDto = {
  code: `${DEMO_DEFINING_AUTHORITY.uscc}001`,
  name: '居住证明',
  definingAuthorityName: DEMO_DEFINING_AUTHORITY.name,
  definingAuthorityUscc: DEMO_DEFINING_AUTHORITY.uscc,
  holderCategory: 1,
  issuingLevel: '市级',
  serviceItem: '居住证明开具',
  fieldsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['address', 'since'],
    properties: {
      address: { type: 'string', title: '居住地址', minLength: 4, maxLength: 100 },
      since: { type: 'string', title: '居住起始日期', format: 'date' },
      purpose: { type: 'string', title: '证明事项', maxLength: 60 },
    },
  },
  validityYears: 1,
  layout: demoLayout,
};

export const demoBusinessLicense: CreateLicenseTypeDto = {
  code: `${DEMO_DEFINING_AUTHORITY.uscc}002`,
  name: '营业执照（演示）',
  definingAuthorityName: DEMO_DEFINING_AUTHORITY.name,
  definingAuthorityUscc: DEMO_DEFINING_AUTHORITY.uscc,
  holderCategory: 2,
  issuingLevel: '市级',
  serviceItem: '企业设立登记',
  fieldsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['legalRepresentative', 'registeredCapital', 'scope', 'address'],
    properties: {
      legalRepresentative: { type: 'string', title: '法定代表人', minLength: 2, maxLength: 30 },
      registeredCapital: { type: 'string', title: '注册资本', maxLength: 30 },
      scope: { type: 'string', title: '经营范围', maxLength: 200 },
      address: { type: 'string', title: '住所', maxLength: 100 },
    },
  },
  validityYears: null,
  layout: {
    page: 'A4-landscape',
    title: { x: 420.9, y: 500, size: 32 },
    fields: [
      { key: '$holderCode', label: '统一社会信用代码：', x: 80, y: 440, size: 12 },
      { key: '$holderName', label: '名　　称：', x: 80, y: 405, size: 13 },
      { key: 'legalRepresentative', label: '法定代表人：', x: 80, y: 370, size: 12 },
      { key: 'registeredCapital', label: '注册资本：', x: 80, y: 335, size: 12 },
      { key: 'address', label: '住　　所：', x: 80, y: 300, size: 12 },
      { key: 'scope', label: '经营范围：', x: 80, y: 265, size: 11 },
      { key: '$validity', label: '营业期限：', x: 80, y: 230, size: 12 },
      { key: '$licenseNumber', label: '证照编号：', x: 80, y: 195, size: 12 },
      { key: '$issuerName', label: '登记机关：', x: 480, y: 150, size: 12 },
      { key: '$issueDate', label: '登记日期：', x: 480, y: 125, size: 12 },
    ],
    qr: { x: 660, y: 380, size: 110 },
    verificationCode: { x: 660, y: 364, size: 10 },
    seal: { x: 560, y: 150 },
  },
};
