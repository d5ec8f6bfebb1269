/**
 * The console's stylesheet, served at `/assets/console.css`. A TypeScript string so that
 * `tsc -p tsconfig.build.json` ships it in dist/ with no copy step. System fonts only (no web
 * fonts); colours meet WCAG AA contrast (4.5:1) for text; tiers carry their name, not colour alone.
 */
export const CONSOLE_CSS = `
:root {
  --text: #1b1f24; --muted: #57606a; --bg: #ffffff; --panel: #f6f8fa; --line: #d0d7de;
  --link: #0b57d0; --focus: #0b57d0; --alarm: #b3261e; --warn-bg: #fff8c5; --warn-line: #d4a72c;
  --critical: #b3261e; --high: #a34400; --medium: #f2c200; --low: #0b57d0; --info: #57606a;
  --excellent: #1e7d32; --good: #2a6496; --fair: #f2c200; --risk: #b3261e; --unrated: #57606a;
  font-family: system-ui, -apple-system, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif;
  font-size: 16px; line-height: 1.5; color: var(--text); background: var(--bg);
}
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--link); }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
main:focus { outline: none; }
h1 { font-size: 1.6rem; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.2rem; margin: 0 0 0.75rem; }
h3 { font-size: 1rem; margin: 1rem 0 0.5rem; }

.skip-link { position: absolute; left: 0.5rem; top: -3rem; z-index: 10; padding: 0.5rem 1rem; background: var(--text); color: #fff; }
.skip-link:focus { top: 0.5rem; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }

.top { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.5rem; padding: 0.5rem 1.5rem; border-bottom: 1px solid var(--line); background: var(--panel); }
.brand { font-weight: 700; font-size: 1.1rem; }
.main-nav ul { display: flex; flex-wrap: wrap; gap: 0.25rem; margin: 0; padding: 0; list-style: none; }
.main-nav a { display: block; padding: 0.5rem 0.75rem; border-radius: 4px; text-decoration: none; color: var(--text); }
.main-nav a:hover { background: #eaeef2; }
.main-nav a[aria-current="page"] { background: var(--text); color: #fff; }
.account { display: flex; flex-wrap: wrap; align-items: center; gap: 0.75rem; margin-left: auto; font-size: 0.9rem; }
.who { color: var(--muted); }
form.inline { display: inline; margin: 0; }

main { max-width: 1280px; margin: 0 auto; padding: 1rem 1.5rem 2rem; }
.foot { max-width: 1280px; margin: 0 auto; padding: 0 1.5rem 1.5rem; color: var(--muted); font-size: 0.85rem; }
.bare main { max-width: 32rem; }

.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; margin-bottom: 1.5rem; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 1rem; background: var(--bg); }
.card.wide { grid-column: 1 / -1; }
section { margin-bottom: 1.5rem; }
form.card { margin-bottom: 1.5rem; }
.grid > section, .grid > form.card { margin-bottom: 0; }

.notice { padding: 0.75rem 1rem; border-left: 4px solid var(--link); background: #eef3fb; }
.warning { padding: 0.75rem 1rem; border-left: 4px solid var(--warn-line); background: var(--warn-bg); margin-bottom: 1rem; }
.error { padding: 0.75rem 1rem; border-left: 4px solid var(--alarm); background: #fdecea; }
.alarm, .error-text { color: var(--alarm); }
.muted, .hint { color: var(--muted); }
.hint { font-size: 0.9rem; margin: 0.25rem 0; }
.figure { font-size: 1.6rem; font-weight: 700; margin: 0.25rem 0; }
.status-code { font-size: 3rem; font-weight: 700; margin: 0; color: var(--muted); }
time, .nowrap, a.code { white-space: nowrap; }
.code, code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
code.details { white-space: pre-wrap; word-break: break-all; }
.subtitle { margin-top: -0.5rem; }

.badge { display: inline-block; padding: 0.1rem 0.5rem; border-radius: 999px; font-size: 0.85rem; font-weight: 600; white-space: nowrap; color: #fff; background: var(--info); }
.tier-critical { background: var(--critical); }
.tier-high { background: var(--high); }
.tier-medium { background: var(--medium); color: var(--text); }
.tier-low { background: var(--low); }
.tier-info { background: var(--info); }
.grade-excellent { background: var(--excellent); }
.grade-good { background: var(--good); }
.grade-fair { background: var(--fair); color: var(--text); }
.grade-risk { background: var(--risk); }
.grade-unrated { background: var(--unrated); }
.badge.overdue, .alarm-badge { background: var(--alarm); }
.tag { display: inline-block; padding: 0 0.4rem; border: 1px solid var(--line); border-radius: 4px; font-size: 0.85rem; background: var(--panel); }
abbr.provisional { text-decoration: underline dotted; cursor: help; }

.table-wrap { overflow-x: auto; margin-bottom: 1rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 0.5rem; border-bottom: 1px solid var(--line); }
thead th { background: var(--panel); font-size: 0.9rem; white-space: nowrap; }
td.num, .num { text-align: right; font-variant-numeric: tabular-nums; }
td.empty { text-align: center; color: var(--muted); padding: 1.5rem; }
td.select { width: 2.5rem; }
td.select input { width: 1.25rem; height: 1.25rem; }
table.counts { width: auto; min-width: 16rem; }
.phrase { font-weight: 600; }
.entry { margin: 0.25rem 0 0; font-size: 0.9rem; }

.num-bar { display: flex; align-items: center; gap: 0.5rem; min-width: 9rem; }
.num-bar .num { min-width: 3rem; }
svg.bar { flex: 1; height: 0.75rem; min-width: 4rem; }
.bar-track { fill: #eaeef2; }
.fill-critical { fill: var(--critical); } .fill-high { fill: var(--high); } .fill-medium { fill: var(--medium); }
.fill-low { fill: var(--low); } .fill-info { fill: var(--info); }
.fill-grade-excellent { fill: var(--excellent); } .fill-grade-good { fill: var(--good); } .fill-grade-fair { fill: var(--fair); }
.fill-grade-risk { fill: var(--risk); } .fill-grade-unrated { fill: var(--unrated); }
meter { width: 100%; height: 1.25rem; }

dl.facts { display: grid; grid-template-columns: minmax(7rem, max-content) 1fr; gap: 0.35rem 1rem; margin: 0; }
dl.facts > div { display: contents; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
dl.stats { display: flex; flex-wrap: wrap; gap: 1.5rem; margin: 0; }
dl.stats dt { color: var(--muted); font-size: 0.9rem; }
dl.stats dd { margin: 0; font-size: 1.6rem; font-weight: 700; }
dl.stats .alarm dd a { color: var(--alarm); }
dl.change { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; margin: 0.25rem 0 0; font-size: 0.9rem; }
dl.change div { display: flex; gap: 0.35rem; }
dl.change dt { color: var(--muted); }
dl.change dt::after { content: ":"; }
dl.change dd { margin: 0; overflow-wrap: anywhere; }
ul.plain { margin: 0; padding: 0; list-style: none; }

form.filters { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 0.75rem 1rem; padding: 0.75rem 1rem; margin-bottom: 1rem; border: 1px solid var(--line); border-radius: 6px; background: var(--panel); }
.field { display: flex; flex-direction: column; gap: 0.25rem; margin-bottom: 0.75rem; }
form.filters .field { margin-bottom: 0; }
.field.check { flex-direction: row; align-items: center; min-height: 2.5rem; }
.actions { display: flex; align-items: center; gap: 0.75rem; min-height: 2.5rem; }
label { font-weight: 600; font-size: 0.9rem; }
input[type="text"], input[type="search"], input[type="password"], input[type="file"], select, textarea {
  font: inherit; padding: 0.45rem 0.6rem; border: 1px solid #8c959f; border-radius: 4px; background: #fff; color: var(--text); min-height: 2.5rem; max-width: 100%;
}
textarea { width: 100%; min-height: 5rem; }
input[type="checkbox"] { accent-color: var(--link); }
button { font: inherit; font-weight: 600; padding: 0.45rem 1rem; min-height: 2.5rem; border: 1px solid var(--link); border-radius: 4px; background: var(--link); color: #fff; cursor: pointer; }
button:hover { background: #0842a0; }
button.small { padding: 0.2rem 0.6rem; min-height: 2rem; font-size: 0.9rem; }
button.link-button { background: none; border: none; color: var(--link); text-decoration: underline; padding: 0; min-height: 0; font-weight: 400; }
.bulk { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 1rem; }
.bulk .field { flex: 1; min-width: 14rem; }
.grid.forms { align-items: start; }
.forms .card h2 { font-size: 1.05rem; }
.inline-actions { display: flex; flex-wrap: wrap; align-items: center; gap: 1rem; margin-bottom: 1rem; }
.login .field input { width: 100%; }
.pager { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; color: var(--muted); }

ol.timeline { list-style: none; margin: 0 0 1rem; padding: 0 0 0 1rem; border-left: 3px solid var(--line); }
.tl { position: relative; padding: 0 0 1rem 0.75rem; }
.tl::before { content: ""; position: absolute; left: -1.5rem; top: 0.45rem; width: 0.75rem; height: 0.75rem; border-radius: 50%; background: var(--info); border: 2px solid #fff; }
.tl-critical::before { background: var(--critical); } .tl-high::before { background: var(--high); } .tl-medium::before { background: var(--medium); }
.tl-low::before { background: var(--low); }
.tl-head { margin: 0; }

@media (max-width: 900px) {
  .top { padding: 0.5rem 1rem; }
  .account { margin-left: 0; width: 100%; }
  main { padding: 1rem; }
  dl.facts { grid-template-columns: 1fr; gap: 0 0; }
  dl.facts dd { margin-bottom: 0.5rem; }
}
@media (prefers-reduced-motion: reduce) { * { transition: none !important; } }
`;
