/** The web console's pages: pure functions from page data to HTML (routes gather the data). */
export { CONSOLE_CSS } from './console-css.js';
export { renderCase } from './case-page.js';
export { renderCases } from './cases-page.js';
export { renderCustomer } from './customer-page.js';
export { renderCustomers } from './customers-page.js';
export { renderError } from './error-page.js';
export { html, raw, escapeHtml, SafeHtml } from './html.js';
export { DEFAULT_LANG, isLang, LANGS, messages, type Lang } from './i18n.js';
export { importReportView } from './import-report.js';
export { renderImport } from './import-page.js';
export { eventAckPath, renderInbox, renderInboxRow } from './inbox-page.js';
export { page } from './layout.js';
export { renderLogin } from './login-page.js';
export { renderOverview } from './overview-page.js';
export type * from './page-data.js';
export { OVERVIEW_PERIODS } from './page-data.js';
export { publicOrigin, renderSettings } from './settings-page.js';
