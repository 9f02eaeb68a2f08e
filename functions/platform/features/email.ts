/**
 * Email: Azure Communication Services Email (the stand-in locally), the mail queue and its
 * delivery timer, link tokens, the templates and the throttles of the email flows.
 */
import { z } from 'zod';
import { AcsMailSender } from '../../adapters/email/acs-sender.js';
import { CosmosMailQueue } from '../../adapters/cosmos/mail-queue.js';
import { RedisEmailTokens } from '../../adapters/redis/email-tokens.js';
import type { UserRepository } from '../../core/accounts/ports.js';
import type { EmailDeps } from '../../core/email/deps.js';
import { MAIL_KINDS, MailRejectedError, type MailSender } from '../../core/email/ports.js';
import { DEFAULT_TEMPLATES, type MailTemplates } from '../../core/email/templates.js';
import { featureSettings, int, jsonSetting, rateLimit, schedule, seconds } from '../settings-kit.js';
import type { Infrastructure } from './infrastructure.js';

export const EMAIL_SCHEDULE_DEFAULTS = { EMAIL_DELIVERY_SCHEDULE: '*/5 * * * * *' } as const;

const boolean = (fallback: boolean) =>
  z
    .enum(['true', 'false'], { error: 'must be "true" or "false"' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true');

const templatePart = z.strictObject({ subject: z.string().min(1).optional(), text: z.string().min(1).optional(), html: z.string().min(1).optional() });

/** JSON {kind: {subject?, text?, html?}}: replaces parts of the built-in templates (README: Email). */
const templateOverrides = jsonSetting('{}', '{"verify-email": {"subject": "...", "text": "...", "html": "..."}}', z.partialRecord(z.enum(MAIL_KINDS), templatePart));

export const emailSettings = featureSettings({
  shape: {
    /** https://NAME.communication.azure.com: the Communication Services resource, reached by identity. */
    EMAIL_ENDPOINT: z.url().optional().describe('azure-required'),
    /** Local only (the stand-in's): in Azure the managed identity signs in, never a key. */
    EMAIL_CONNECTION_STRING: z.string().min(1).optional().describe('local-only'),
    /** The From address: a sender of the linked domain (DoNotReply@<domain>). */
    EMAIL_SENDER: z.string().min(3).optional().describe('azure-required'),
    EMAIL_PRODUCT_NAME: z.string().min(1).max(100).default('Player Accounts'),
    /** Where links in mails point: the game's web front end, which posts the token to the API. */
    EMAIL_LINK_BASE_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:7071/dev/email').describe('azure-required'),
    EMAIL_TEMPLATES: templateOverrides,
    /** Verification and email-change links. */
    EMAIL_TOKEN_TTL_SECONDS: seconds(300, 604_800, 86_400),
    /** Password-reset links: must be shorter than EMAIL_TOKEN_TTL_SECONDS. */
    EMAIL_RESET_TOKEN_TTL_SECONDS: seconds(60, 86_400, 3_600),
    EMAIL_MAX_ATTEMPTS: int(1, 50).default(10),
    EMAIL_RETRY_BASE_SECONDS: seconds(1, 3_600, 5),
    EMAIL_DELIVERY_SCHEDULE: schedule(EMAIL_SCHEDULE_DEFAULTS.EMAIL_DELIVERY_SCHEDULE),
    REQUIRE_VERIFIED_EMAIL: boolean(false),
    EMAIL_RESEND_ACCOUNT_LIMIT: rateLimit('3/3600'),
    PASSWORD_FORGOT_ADDRESS_LIMIT: rateLimit('3/3600'),
    PASSWORD_FORGOT_IP_LIMIT: rateLimit('20/3600'),
  },
  read: (s) => {
    const templates = Object.fromEntries(MAIL_KINDS.map((kind) => [kind, { ...DEFAULT_TEMPLATES[kind], ...s.EMAIL_TEMPLATES[kind] }])) as MailTemplates;
    return {
      email: {
        acs: { endpoint: s.EMAIL_ENDPOINT, connectionString: s.EMAIL_CONNECTION_STRING, sender: s.EMAIL_SENDER },
        settings: {
          productName: s.EMAIL_PRODUCT_NAME,
          linkBaseUrl: s.EMAIL_LINK_BASE_URL,
          templates,
          tokenTtlSeconds: s.EMAIL_TOKEN_TTL_SECONDS,
          resetTokenTtlSeconds: s.EMAIL_RESET_TOKEN_TTL_SECONDS,
          maxAttempts: s.EMAIL_MAX_ATTEMPTS,
          retryBaseSeconds: s.EMAIL_RETRY_BASE_SECONDS,
          requireVerifiedEmail: s.REQUIRE_VERIFIED_EMAIL,
          limits: {
            resendPerAccount: { name: 'email-resend-account', ...s.EMAIL_RESEND_ACCOUNT_LIMIT },
            forgotPerAddress: { name: 'password-forgot-address', ...s.PASSWORD_FORGOT_ADDRESS_LIMIT },
            forgotPerIp: { name: 'password-forgot-ip', ...s.PASSWORD_FORGOT_IP_LIMIT },
          },
        },
      },
    };
  },
  problems(env) {
    const verify = Number(env['EMAIL_TOKEN_TTL_SECONDS'] ?? 86_400);
    const reset = Number(env['EMAIL_RESET_TOKEN_TTL_SECONDS'] ?? 3_600);
    return reset < verify ? [] : [`EMAIL_RESET_TOKEN_TTL_SECONDS (${reset}) must be shorter than EMAIL_TOKEN_TTL_SECONDS (${verify})`];
  },
  secret: ['EMAIL_CONNECTION_STRING'],
  unechoed: ['EMAIL_TEMPLATES'],
});

export type EmailConfig = ReturnType<typeof emailSettings.read>;

/** Without EMAIL_ENDPOINT and EMAIL_SENDER no mail can go out: each is logged and dropped, nothing fails. */
const unconfiguredSender: MailSender = {
  send: () => Promise.reject(new MailRejectedError('email is not configured (EMAIL_ENDPOINT, EMAIL_SENDER)')),
};

export function wireEmail(config: EmailConfig, infra: Infrastructure, users: Pick<UserRepository, 'findById' | 'findByLogin'>): EmailDeps {
  const { endpoint, connectionString, sender } = config.email.acs;
  const acs = (endpoint !== undefined || connectionString !== undefined) && sender !== undefined ? { endpoint: endpoint ?? '', connectionString, sender } : null;
  return {
    users,
    sender: acs ? new AcsMailSender(acs, infra.azureClientId) : unconfiguredSender,
    queue: new CosmosMailQueue(infra.cosmos),
    tokens: new RedisEmailTokens(infra.redis, infra.keyPrefix),
    rateLimiter: infra.rateLimiter,
    clock: infra.clock,
    newId: infra.newId,
    settings: config.email.settings,
    log: { info: (m) => console.info(m), warn: (m) => console.warn(m) },
  };
}
