import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/**
 * A person's provider sessions and grants as oidc-provider stores them (identity.oidc_payload,
 * written by the provider's adapter): ended here when the person's password changes.
 */
@Injectable()
export class AccountSessionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Ends every session and grant of the account except the session `keepUid` and the grants it
   * holds (`keepGrants`): their refresh and access tokens stop working at once. Answers how
   * many grants were ended.
   */
  async endOthers(accountId: string, keepUid: string | null, keepGrants: string[]) {
    return this.db.transaction(async (m) => {
      const grants: { id: string }[] = await m.query(
        `SELECT id FROM identity.oidc_payload
         WHERE model = 'Grant' AND payload->>'accountId' = $1 AND NOT (id = ANY($2::text[]))`,
        [accountId, keepGrants],
      );
      const ids = grants.map((g) => g.id);
      await m.query(
        `DELETE FROM identity.oidc_payload
         WHERE grant_id = ANY($1::text[]) OR (model = 'Grant' AND id = ANY($1::text[]))`,
        [ids],
      );
      await m.query(
        `DELETE FROM identity.oidc_payload
         WHERE model = 'Session' AND payload->>'accountId' = $1 AND uid IS DISTINCT FROM $2`,
        [accountId, keepUid],
      );
      return ids.length;
    });
  }
}
