import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import pg from 'pg';
import type { MixedList, EntitySchema, DataSourceOptions } from 'typeorm';
import { SUITE_CONTEXT, type SuiteContext } from '#common';
import { resolveDatabaseUrl } from './database-url.js';
import { DatabaseHealth } from './database.health.js';

export interface ServiceDatabaseOptions {
  /** The service's own schema, e.g. `e_seal`. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  migrations: MixedList<Type | string>;
}

/** Creates the schema before TypeORM looks for its migrations table there. */
async function ensureSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } finally {
    await client.end();
  }
}

export function dataSourceOptions(
  url: string,
  options: ServiceDatabaseOptions,
  poolSize: number,
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsRun: true,
    migrationsTableName: 'migrations',
    // Never synchronize: the checked-in migrations are the schema, on both databases.
    synchronize: false,
    extra: { max: poolSize },
    logging: false,
  };
}

/**
 * One TypeORM data source for a service, on its own schema, with migrations run at start.
 *
 * @example
 *   DatabaseModule.forService({ schema: 'e_seal', entities: [Seal], migrations: [Init1] })
 */
@Module({})
export class DatabaseModule {
  static forService(options: ServiceDatabaseOptions): DynamicModule {
    if (!/^[a-z_][a-z0-9_]*$/.test(options.schema)) {
      throw new Error(`schema name ${options.schema} is not a plain identifier`);
    }
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [SUITE_CONTEXT],
          useFactory: async (ctx: SuiteContext) => {
            const url = await resolveDatabaseUrl(ctx);
            await ensureSchema(url, options.schema);
            return dataSourceOptions(url, options, ctx.config.DATABASE_POOL_SIZE);
          },
        }),
      ],
      providers: [DatabaseHealth],
      exports: [TypeOrmModule],
    };
  }
}
