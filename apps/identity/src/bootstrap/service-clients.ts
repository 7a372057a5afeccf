import { serviceClientId } from '#auth';
import type { ServiceName } from '#common';
import type { ClientInput } from '../clients/client-registry.service.js';

/**
 * The suite's own services as clients (client credentials, docs/INTEGRATION.md "Calls between
 * services"). Each holds the scopes of the calls it makes, and a role for every unit (`*`)
 * of those scopes: which unit a call may act for is checked by the called service (e.g. the
 * seal names the clients allowed to use it).
 */
export const SERVICE_CLIENT_SCOPES: Record<Exclude<ServiceName, 'identity'>, string[]> = {
  'e-seal': ['archive:ingest', 'license:read'],
  'e-license': ['seal:read', 'seal:apply', 'archive:ingest', 'archive:read'],
  'e-archive': ['seal:read', 'license:read'],
};

export function serviceClientInput(service: keyof typeof SERVICE_CLIENT_SCOPES): ClientInput {
  return {
    clientId: serviceClientId(service),
    name: `${service} service`,
    firstParty: true,
    metadata: {
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: SERVICE_CLIENT_SCOPES[service].join(' '),
    },
  };
}
