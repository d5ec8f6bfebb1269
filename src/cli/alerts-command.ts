import type { Command } from 'commander';
import { AppError } from '../app/errors.js';
import { normaliseText } from '../domain/text.js';
import type { CliContext } from './context.js';

export function registerAlertsCommand(program: Command, ctx: CliContext): void {
  const alerts = program.command('alerts').description('handle events that were raised');
  alerts
    .command('ack')
    .description('record who handled an event')
    .argument('<eventId>', 'the event id (from "events")')
    .requiredOption('--by <name>', 'who handled it')
    .option('--note <text>', 'what was done')
    .action(async (eventId: string, opts: { by: string; note?: string }) => {
      const by = normaliseText(opts.by);
      if (!by) throw new AppError('USAGE', '--by must not be empty');
      const note = opts.note === undefined ? null : normaliseText(opts.note) || null;
      const { repos } = ctx.store();
      const ack = await repos.events.acknowledge(eventId.trim(), by, note, Date.now());
      if (ack.outcome === 'already_acknowledged') {
        ctx.out(`${eventId}: already acknowledged by ${ack.acknowledgedBy} at ${new Date(ack.acknowledgedAt).toISOString()}`);
        return;
      }
      await repos.auditLog.record({ actor: ctx.actor, action: 'event.ack', subject: eventId, details: { by, note } }, ack.acknowledgedAt);
      ctx.out(`${eventId}: acknowledged by ${by}`);
    });
}
