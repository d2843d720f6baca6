// Prepared statements kept per SQL text: preparing costs more than running a small query,
// and the ingest runs the same few dozen statements for every uplink.
import type { Database, Statement } from 'better-sqlite3';

export class Statements {
  private readonly db: Database;
  private readonly cache = new Map<string, Statement>();

  constructor(db: Database) {
    this.db = db;
  }

  get(sql: string): Statement {
    let statement = this.cache.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }
}
