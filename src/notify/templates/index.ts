/** The email templates: one event, and the daily digest. */
export { renderEventEmail, eventSubject, type RenderedEmail } from './event-email.js';
export { renderDigestEmail, type DigestPeriod } from './digest-email.js';
export { EMAIL_LANGUAGES, type EmailLanguage } from './language.js';
