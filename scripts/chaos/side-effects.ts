/** Side effects the chaos worker left in its own stores: incidents stored per ticket (githouse.sqlite). */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export function incidentsPerTicket(dataDir: string): Map<string, number> {
  const file = path.join(dataDir, 'githouse.sqlite');
  const counts = new Map<string, number>();
  if (!fs.existsSync(file)) return counts;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT ticket_id AS ticketId, COUNT(*) AS n FROM incidents GROUP BY ticket_id').all() as {
      ticketId: string;
      n: number;
    }[];
    for (const r of rows) counts.set(r.ticketId, r.n);
  } finally {
    db.close();
  }
  return counts;
}
