// The parts of oidc-provider 9 this service uses (the package ships no type declarations).
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export type UnknownObject = Record<string, unknown>;

  export interface ClientInstance {
    clientId: string;
    clientName?: string;
    clientSecret?: string;
    subjectType?: string;
    sectorIdentifierUri?: string;
    sectorIdentifier?: string;
    backchannelLogoutUri?: string;
    backchannelLogoutSessionRequired?: boolean;
    tokenEndpointAuthMethod?: string;
    redirectUris?: string[];
    scope?: string;
    metadata(): UnknownObject;
    [key: string]: unknown;
  }

  export interface GrantInstance {
    jti: string;
    accountId?: string;
    clientId?: string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  export interface InteractionDetails {
    uid: string;
    jti: string;
    prompt: { name: string; reasons: string[]; details: UnknownObject };
    params: UnknownObject;
    session?: { accountId: string; uid: string; cookie: string; acr?: string; amr?: string[] };
    grantId?: string;
    lastSubmission?: UnknownObject;
    result?: UnknownObject;
    returnTo: string;
    exp: number;
  }

  export interface TokenLike {
    kind: string;
    jti: string;
    clientId?: string;
    accountId?: string;
    grantId?: string;
    scope?: string;
    gty?: string;
    aud?: string | string[];
    resourceServer?: { audience?: string };
    [key: string]: unknown;
  }

  export interface OIDCContext {
    client?: ClientInstance;
    params?: UnknownObject;
    route?: string;
    session?: { accountId?: string; acr?: string; amr?: string[]; loginTs?: number };
    entities: Record<string, (TokenLike & UnknownObject) | undefined>;
    account?: { accountId: string };
    uid?: string;
  }

  export interface KoaContextWithOIDC {
    oidc: OIDCContext;
    ip: string;
    path: string;
    method: string;
    get(header: string): string;
    req: IncomingMessage;
  }

  export interface Account {
    accountId: string;
    claims(
      use: string,
      scope: string,
      claims: UnknownObject,
      rejected: string[],
    ): Promise<UnknownObject>;
  }

  export type Configuration = UnknownObject;

  export interface ClientClass {
    new (metadata: UnknownObject): ClientInstance;
    find(id: string): Promise<ClientInstance | undefined>;
    validate(metadata: UnknownObject): Promise<void>;
    prototype: ClientInstance & {
      compareClientSecret(actual: string): boolean;
      backchannelLogout(sub: string, sid: string): Promise<void>;
    };
  }

  export interface IdTokenInstance {
    mask: UnknownObject;
    set(key: string, value: unknown): void;
    issue(options: { use: string }): Promise<string>;
  }

  export interface SessionInstance {
    uid: string;
    accountId?: string;
    loginTs?: number;
  }

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    issuer: string;
    proxy: boolean;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    /** Koa middleware around every provider route (runs before the response is written). */
    use(middleware: (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>): this;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: UnknownObject,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    interactionResult(
      req: IncomingMessage,
      res: ServerResponse,
      result: UnknownObject,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<string>;
    on(event: string, listener: (...args: never[]) => void): this;
    Client: ClientClass;
    Grant: {
      new (properties: { accountId: string; clientId: string }): GrantInstance;
      find(id: string): Promise<GrantInstance | undefined>;
    };
    IdToken: new (
      claims: UnknownObject,
      options: { client: ClientInstance; ctx: unknown },
    ) => IdTokenInstance;
    Session: {
      find(id: string): Promise<UnknownObject | undefined>;
      /** The session of the request's session cookie (a new, empty one when there is none). */
      get(ctx: { req: IncomingMessage; res: ServerResponse }): Promise<SessionInstance>;
    };
  }

  export const errors: Record<string, new (description?: string, detail?: string) => Error>;
  export const interactionPolicy: {
    base(): PolicyPrompts;
    Prompt: new (...args: unknown[]) => unknown;
    Check: new (...args: unknown[]) => unknown;
  };
  export interface PolicyPrompts {
    get(name: string): { checks: { add(check: unknown, index?: number): void } } | undefined;
  }
}
