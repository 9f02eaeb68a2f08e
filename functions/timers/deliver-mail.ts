import { app, type InvocationContext, type Timer } from '@azure/functions';
import { deliverDueMails } from '../core/email/delivery.js';
import { withServices } from '../platform/invoke.js';
import type { Services } from '../platform/services.js';

/** Sends queued mails whose first try failed or was lost, with backoff (schedule: EMAIL_DELIVERY_SCHEDULE). */
export async function deliverMail(_timer: Timer, services: Pick<Services, 'email'>, context: InvocationContext): Promise<void> {
  const sent = await deliverDueMails(services.email);
  if (sent > 0) context.log(`email: sent ${sent} queued mail(s)`);
}

app.timer('deliverMail', { schedule: '%EMAIL_DELIVERY_SCHEDULE%', handler: withServices(deliverMail) });
