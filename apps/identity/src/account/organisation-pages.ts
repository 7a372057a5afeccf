import {
  DELEGABLE_MATTERS,
  type RepresentedOrganisation,
} from '../accounts/legal-representative.service.js';
import type { AgentListing } from '../accounts/organisation.repository.js';
import { bi, esc, field, type Message } from '../interaction/pages/layout.js';
import { passwordForm } from './account-forms.js';
import type { AccountView } from './account-pages.js';

/** The matters by name, as a representative reads them. */
export const MATTER_NAMES: Record<string, Message> = {
  'seal:apply': { zh: '申请用印', en: 'Apply to use seals' },
  'seal:read': { zh: '查看印章', en: 'View seals' },
  'seal:manage': { zh: '管理印章', en: 'Manage seals' },
  'license:holder': { zh: '使用证照', en: 'Use licenses' },
};

/** Days are read in China Standard Time (UTC+8), as the representative enters them. */
function day(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

function matters(a: AgentListing): Message {
  if (!a.matters?.length) return { zh: '全部事项', en: 'All matters' };
  return {
    zh: a.matters.map((m) => MATTER_NAMES[m]?.zh ?? m).join('、'),
    en: a.matters.map((m) => MATTER_NAMES[m]?.en ?? m).join(', '),
  };
}

function inForce(a: AgentListing, now: Date): boolean {
  return !a.revoked_at && (!a.valid_until || new Date(a.valid_until) > now);
}

function status(a: AgentListing, now: Date): Message {
  if (a.revoked_at) return { zh: '已撤销', en: 'Revoked' };
  if (!inForce(a, now)) return { zh: '已到期', en: 'Expired' };
  return { zh: '有效', en: 'In force' };
}

/** One fact of an authorisation, each language on its own line with its own label. */
function fact(label: Message, value: Message): string {
  return `<div>${bi(`${label.zh}：${value.zh}`, `${label.en}: ${value.en}`)}</div>`;
}

function agentRow(v: AccountView, orgId: string, a: AgentListing, now: Date): string {
  const until: Message = a.valid_until
    ? { zh: day(new Date(a.valid_until)), en: day(new Date(a.valid_until)) }
    : { zh: '长期', en: 'No end date' };
  const revoke = inForce(a, now)
    ? passwordForm(v, `revoke-${a.id}`, `organisations/${orgId}/agents/${a.id}/revoke`, {
        zh: '撤销授权',
        en: 'Revoke',
      })
    : '';
  return `<li class="agent" id="agent-${esc(a.id)}"><strong>${esc(a.person_name)}</strong>
（${esc(a.person_id_masked ?? '')}）
${fact({ zh: '授权事项', en: 'Matters' }, matters(a))}
${fact({ zh: '有效期至', en: 'Until' }, until)}
${fact({ zh: '状态', en: 'Status' }, status(a, now))}
${revoke}</li>`;
}

/** A person by ID number, for all matters or for the chosen ones, until a date. */
function authoriseForm(v: AccountView, orgId: string): string {
  const checkboxes = DELEGABLE_MATTERS.map(
    (m) =>
      `<label><input type="checkbox" name="matter" value="${esc(m)}"> ${bi(
        MATTER_NAMES[m]!.zh,
        MATTER_NAMES[m]!.en,
      )}</label>`,
  ).join('\n');
  const fields = `${field({
    id: `agent-id-${orgId}`,
    name: 'idNumber',
    label: { zh: '经办人居民身份证号码', en: "The agent's resident ID number" },
    attrs: 'required maxlength="18" autocomplete="off"',
    error: v.failed === `agent-${orgId}` ? v.error : undefined,
  })}
<fieldset><legend>${bi('授权事项（不选即全部事项）', 'Matters (none chosen: all matters)')}</legend>
${checkboxes}
</fieldset>
<label for="agent-until-${esc(orgId)}">${bi('有效期至（可不填）', 'Until (optional)')}</label>
<input type="date" id="agent-until-${esc(orgId)}" name="validUntil">
`;
  return passwordForm(
    v,
    `authorise-${orgId}`,
    `organisations/${orgId}/agents`,
    { zh: '授权', en: 'Authorise' },
    fields,
  );
}

function organisationBlock(v: AccountView, r: RepresentedOrganisation, now: Date): string {
  const o = r.organisation;
  const list = r.agents.length
    ? `<ul class="agents">${r.agents.map((a) => agentRow(v, o.id, a, now)).join('\n')}</ul>`
    : `<p>${bi('尚无经办人。', 'No agents yet.')}</p>`;
  return `<section class="organisation" id="organisation-${esc(o.id)}">
<h3>${esc(o.name)} <small>${esc(o.uscc)}</small></h3>
<h4>${bi('经办人', 'Agents')}</h4>
${list}
<h4>${bi('授权新的经办人', 'Authorise an agent')}</h4>
${authoriseForm(v, o.id)}
</section>`;
}

/**
 * 我的单位: the organisations whose legal representative the signed-in person is, with their
 * agents; nothing at all for a person who represents none.
 */
export function organisationsSection(v: AccountView, now = new Date()): string {
  if (!v.organisations?.length) return '';
  return `<h2>${bi('我的单位', 'My organisations')}</h2>
<p>${bi('您是以下单位的法定代表人，可授权经办人代表单位办理事项。', 'You are the legal representative of these organisations and may authorise agents to act for them.')}</p>
${v.organisations.map((r) => organisationBlock(v, r, now)).join('\n')}`;
}
