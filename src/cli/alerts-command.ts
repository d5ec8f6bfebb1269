import type { Command } from 'commander';
import { AppError } from '../errors.js';
import { normaliseText } from '../domain/text.js';
import { acknowledgeEvent } from '../app/acknowledge-event.js';
import { acknowledgeEventDeps } from '../wiring/check-deps.js';
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
      const store = await ctx.store();
      const id = eventId.trim();
      const done = await acknowledgeEvent(acknowledgeEventDeps(ctx.config(), store, () => ctx.clock()), id, { by, note, actor: ctx.actor });
      const ack = done.event;
      if (ack.outcome === 'already_acknowledged') {
        ctx.out(`${id}: already acknowledged by ${ack.acknowledgedBy} at ${new Date(ack.acknowledgedAt).toISOString()}`);
      } else {
        ctx.out(`${id}: acknowledged by ${by}`);
      }
      // Acknowledging an alert acknowledges its case (and so stops the case's escalation).
      if (done.case?.outcome === 'acknowledged') ctx.out(`case ${done.case.id}: acknowledged by ${by}`);
      else if (done.case !== null) ctx.out(`case ${done.case.id}: ${done.case.state}`);
    });
}

export function registerAlertsMaintenanceCommands(program: Command, ctx: CliContext): void {
  const alerts = program.commands.find((c) => c.name() === 'alerts');
  if (!alerts) throw new Error('register the alerts command first');
  alerts
    .command('redrive')
    .description('send dead deliveries again (the worker picks them up within seconds)')
    .option('--event <id>', 'only this event\'s dead deliveries')
    .option('--all-dead', 'every dead delivery')
    .action(async (opts: { event?: string; allDead?: boolean }) => {
      if ((opts.event === undefined) === (opts.allDead !== true)) throw new AppError('USAGE', 'give exactly one of --event ID or --all-dead');
      const { repos } = await ctx.store();
      const at = ctx.clock();
      const { ids, digest } = await repos.deliveries.redriveDead(opts.event === undefined ? {} : { eventId: opts.event.trim() }, at);
      await repos.auditLog.record({ actor: ctx.actor, action: 'delivery.redrive', subject: opts.event ?? 'all-dead', details: { deliveries: ids.length } }, at);
      // A digest row has no send of its own: it goes out inside the next digest.
      const note = digest > 0 ? ` (${digest} of them with the next daily digest)` : '';
      ctx.out(`re-driven ${ids.length} dead deliver${ids.length === 1 ? 'y' : 'ies'}${note}`);
    });
  alerts
    .command('targets')
    .description('webhook targets disabled after a 410 Gone answer')
    .action(async () => {
      const disabled = await (await ctx.store()).repos.webhookTargets.disabledWebhookTargets();
      for (const t of disabled) ctx.out(`${t.name}  disabled ${new Date(t.disabledAt).toISOString()}  ${t.reason ?? ''}`);
      ctx.out(`${disabled.length} disabled target(s)`);
    });
  alerts
    .command('enable-target')
    .description('re-enable a webhook target that answered 410 Gone')
    .argument('<name>', 'target name ("default" for CM_WEBHOOK_URL)')
    .action(async (name: string) => {
      const { repos } = await ctx.store();
      const changed = await repos.webhookTargets.enableWebhookTarget(name);
      if (!changed) throw new AppError('NOT_FOUND', `webhook target ${JSON.stringify(name)} is not disabled`);
      await repos.auditLog.record({ actor: ctx.actor, action: 'webhook_target.enable', subject: name, details: {} }, ctx.clock());
      ctx.out(`webhook target ${name} enabled; its pending deliveries will be sent`);
    });
}
