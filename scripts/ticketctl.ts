/**
 * `npm run ticketctl -- <command>`: the ops CLI over client/. Prints what happened in one line
 * (or the state with `show`); an unknown id, a stale draft or an impossible action is a clear error line and
 * a non-zero exit, never a stack trace.
 */
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { config } from '../core/config';
import { queues, ticketStatuses, type Queue, type TicketStatus } from '../core/domain';
import { TicketflowError } from '../core/errors';
import { connectTicketClient, StillApplying, type TicketClient } from '../client';
import { loadUserIds } from '../gateway/auth/keys';
import { printState } from './ticketctl-print';

const USAGE = `usage: npm run ticketctl -- <command> [options]

  create "<text>" [--user U] [--org O] [--channel cli] [--id ID]   start a ticket
  show <id> [--json]                                                 the ticket's state
  list [--status S] [--queue Q] [--page-size N] [--page TOKEN]       tickets by status/queue
  approve <id> [--version N] [--reviewer R]                          approve the pending draft
  edit <id> (--text T | --file F) [--version N] [--reviewer R]       send your own text instead
  reject <id> --reason R [--version N] [--reviewer R]                redraft with a reason
  release <id> [--note T] [--reviewer R]                             let a security hold continue
  sop <id> --title T (--body B | --file F) [--author A]              provide the missing SOP
  feedback <id> [--resolved yes|no] [--rating 1-5] [--comment C]     the customer's feedback
  message <id> "<text>"                                              a customer follow-up
  escalate <id> --reason R [--by B]                                  hand to the live queue
  close <id> [--reason R] [--by B]                                   close the ticket

statuses: ${ticketStatuses.join(', ')}
queues:   ${queues.join(', ')}`;

class UsageError extends Error {}

const options = {
  user: { type: 'string' },
  org: { type: 'string' },
  channel: { type: 'string' },
  id: { type: 'string' },
  json: { type: 'boolean' },
  status: { type: 'string' },
  queue: { type: 'string' },
  'page-size': { type: 'string' },
  page: { type: 'string' },
  version: { type: 'string' },
  reviewer: { type: 'string' },
  text: { type: 'string' },
  file: { type: 'string' },
  reason: { type: 'string' },
  note: { type: 'string' },
  title: { type: 'string' },
  body: { type: 'string' },
  author: { type: 'string' },
  resolved: { type: 'string' },
  rating: { type: 'string' },
  comment: { type: 'string' },
  by: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Flags = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

function me(): string {
  return process.env.USER || os.userInfo().username || 'ops';
}

function need(value: string | undefined, what: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`missing ${what}`);
  return value;
}

function int(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${what} must be a positive whole number, got "${value}"`);
  return n;
}

function readText(flags: Flags, textFlag: 'text' | 'body'): string {
  if (flags.file !== undefined) {
    try {
      return fs.readFileSync(flags.file, 'utf8');
    } catch (err) {
      throw new UsageError(
        `cannot read ${flags.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
  }
  return need(flags[textFlag], `--${textFlag} or --file`);
}

/** The draft version to decide on: the one given, or the one the ticket waits for. */
async function versionFor(tickets: TicketClient, id: string, flags: Flags): Promise<number> {
  const given = int(flags.version, '--version');
  if (given !== undefined) return given;
  const s = await tickets.getState(id);
  if (!s.pendingReview)
    throw new TicketflowError(
      'conflict',
      `ticket ${id} is not waiting for a review (status ${s.status}${s.awaiting ? `, waiting for ${s.awaiting}` : ''})`,
    );
  return s.pendingReview.draftVersion;
}

async function run(argv: string[]): Promise<number> {
  const { values: flags, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  const [command, ...rest] = positionals;
  if (flags.help || !command || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command || flags.help ? 0 : 64;
  }
  const known = [
    'create',
    'show',
    'list',
    'approve',
    'edit',
    'reject',
    'release',
    'sop',
    'feedback',
    'message',
    'escalate',
    'close',
  ];
  if (!known.includes(command)) throw new UsageError(`unknown command "${command}"`);

  const cfg = config();
  // The connection is made by the first call; an unreachable Temporal comes back as upstream_unavailable.
  const tickets = connectTicketClient(cfg);
  try {
    const id = () => need(rest[0], 'ticket id');
    const reviewer = flags.reviewer ?? me();
    const say = (ack: { status: string; queue: string; awaiting: string | null }, what: string) =>
      process.stdout.write(
        `${what}: now ${ack.status} (queue ${ack.queue}${ack.awaiting ? `, waiting for ${ack.awaiting}` : ''})\n`,
      );

    switch (command) {
      case 'create': {
        const text = need(rest.join(' '), 'ticket text');
        const orgId = flags.org ?? 'default-org';
        const t = await tickets.createTicket({
          text,
          // The id the customer's own token gives them (gateway/auth/jwt.ts): an e-mail never enters the history.
          userId: loadUserIds(cfg.jwt).ofGiven(orgId, flags.user ?? me()),
          orgId,
          channel: (flags.channel ?? 'cli') as 'cli',
          ...(flags.id ? { ticketId: flags.id } : {}),
        });
        process.stdout.write(`${t.ticketId} ${t.status}\n`);
        return 0;
      }
      case 'show': {
        const s = await tickets.getState(id());
        if (flags.json) process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
        else printState(s);
        return 0;
      }
      case 'list': {
        if (flags.status && !(ticketStatuses as readonly string[]).includes(flags.status))
          throw new UsageError(`unknown status "${flags.status}"`);
        if (flags.queue && !(queues as readonly string[]).includes(flags.queue))
          throw new UsageError(`unknown queue "${flags.queue}"`);
        const page = await tickets.listTickets({
          ...(flags.status ? { status: flags.status as TicketStatus } : {}),
          ...(flags.queue ? { queue: flags.queue as Queue } : {}),
          pageSize: int(flags['page-size'], '--page-size') ?? 20,
          ...(flags.page ? { nextPageToken: flags.page } : {}),
        });
        for (const t of page.tickets)
          process.stdout.write(
            `${t.ticketId}  ${t.status.padEnd(15)} ${t.queue.padEnd(10)} ${t.topic.padEnd(10)} ${t.urgency.padEnd(8)} ${t.startedAt ?? ''}\n`,
          );
        if (page.tickets.length === 0) process.stdout.write('no tickets\n');
        if (page.nextPageToken) process.stdout.write(`more: --page ${page.nextPageToken}\n`);
        return 0;
      }
      case 'approve': {
        const ticketId = id();
        const draftVersion = await versionFor(tickets, ticketId, flags);
        say(
          await tickets.review(ticketId, { action: 'approve', draftVersion, reviewer }),
          `approved draft v${draftVersion}`,
        );
        return 0;
      }
      case 'edit': {
        const ticketId = id();
        const text = readText(flags, 'text');
        const draftVersion = await versionFor(tickets, ticketId, flags);
        say(
          await tickets.review(ticketId, { action: 'edit', draftVersion, reviewer, text }),
          `edited draft v${draftVersion}`,
        );
        return 0;
      }
      case 'reject': {
        const ticketId = id();
        const reason = need(flags.reason, '--reason');
        const draftVersion = await versionFor(tickets, ticketId, flags);
        say(
          await tickets.review(ticketId, { action: 'reject', draftVersion, reviewer, reason }),
          `rejected draft v${draftVersion}`,
        );
        return 0;
      }
      case 'release':
        say(await tickets.release(id(), { reviewer, ...(flags.note ? { note: flags.note } : {}) }), 'released');
        return 0;
      case 'sop': {
        const ticketId = id();
        say(
          await tickets.provideSop(ticketId, {
            title: need(flags.title, '--title'),
            body: readText(flags, 'body'),
            author: flags.author ?? me(),
          }),
          'SOP provided',
        );
        return 0;
      }
      case 'feedback': {
        const resolved =
          flags.resolved === undefined
            ? undefined
            : ['yes', 'true', 'y'].includes(flags.resolved)
              ? true
              : ['no', 'false', 'n'].includes(flags.resolved)
                ? false
                : undefined;
        if (flags.resolved !== undefined && resolved === undefined) throw new UsageError('--resolved takes yes or no');
        const rating = int(flags.rating, '--rating');
        say(
          await tickets.sendFeedback(id(), {
            ...(resolved !== undefined ? { resolved } : {}),
            ...(rating ? { rating } : {}),
            comment: flags.comment ?? '',
          }),
          'feedback sent',
        );
        return 0;
      }
      case 'message':
        say(await tickets.addMessage(id(), { text: need(rest.slice(1).join(' '), 'message text') }), 'message added');
        return 0;
      case 'escalate':
        say(
          await tickets.escalate(id(), { reason: need(flags.reason, '--reason'), by: flags.by ?? me() }),
          'escalated',
        );
        return 0;
      case 'close':
        say(
          await tickets.close(id(), { by: flags.by ?? me(), ...(flags.reason ? { reason: flags.reason } : {}) }),
          'closed',
        );
        return 0;
    }
    return 64;
  } finally {
    await tickets.disconnect();
  }
}

if (require.main === module) {
  run(process.argv.slice(2))
    .then((code) => process.exit(code))
    .catch((err: unknown) => {
      if (err instanceof UsageError || (err as { code?: string }).code?.startsWith?.('ERR_PARSE_ARGS')) {
        process.stderr.write(`ticketctl: ${(err as Error).message}\n\n${USAGE}\n`);
        process.exit(64);
      }
      if (err instanceof StillApplying) {
        // Decided: a retry would be a second action (these calls carry no key), so it is not reported as failed.
        process.stdout.write(`accepted, still being applied ${err.boundMs / 1000} s after: see ticketctl show <id>\n`);
        process.exit(0);
      }
      if (err instanceof TicketflowError) {
        process.stderr.write(`ticketctl: ${err.code.replace('_', ' ')}: ${err.message}\n`);
        process.exit(err.code === 'not_found' ? 2 : 1);
      }
      process.stderr.write(`ticketctl: ${(err as Error)?.message ?? String(err)}\n`);
      process.exit(1);
    });
}

export { run as ticketctl };
