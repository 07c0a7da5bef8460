// NafflesBotKit sandbox playground: plain JavaScript, no dependencies, talks to /playground/api/*.
'use strict';

const api = (path) => 'api/' + path;
const $ = (id) => document.getElementById(id);

const view = {
  as: 'admin',
  state: null,
  commands: [],
  selected: null,
  menuIndex: 0,
  menuHideTimer: 0,
  dismissed: new Set(),
  refreshing: false,
  again: false,
};

// ---- helpers ---------------------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'html') node.innerHTML = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

// A small subset of Discord markdown: bold, italics, underline, code, links, mentions and timestamps.
function markdown(text) {
  let html = escapeHtml(text);
  const state = view.state;
  html = html.replace(/`([^`]+)`/g, '<code>$1</code>');
  html = html.replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
  html = html.replace(/__([^_]+)__/g, '<u>$1</u>');
  html = html.replace(/(^|[^*])\*([^*\n]+)\*/g, '$1<em>$2</em>');
  html = html.replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, (m, label, url) => `<a href="${url}" target="_blank" rel="noreferrer noopener" title="${url}">${label}</a>`);
  html = html.replace(/&lt;#(\d+)&gt;/g, (m, id) => `<span class="mention">#${escapeHtml(state && state.channel.id === id ? state.channel.name : 'channel')}</span>`);
  html = html.replace(/&lt;@&amp;(\d+)&gt;/g, (m, id) => {
    const role = state && state.roles.find((r) => r.id === id);
    return `<span class="mention">@${escapeHtml(role ? role.name : 'role')}</span>`;
  });
  html = html.replace(/&lt;@!?(\d+)&gt;/g, (m, id) => {
    const user = state && state.users.find((u) => u.id === id);
    return `<span class="mention">@${escapeHtml(user ? user.label : 'user')}</span>`;
  });
  html = html.replace(/&lt;t:(\d+)(?::([tTdDfFR]))?&gt;/g, (m, seconds, style) => `<span class="mention" title="${new Date(seconds * 1000).toISOString()}">${formatTimestamp(Number(seconds) * 1000, style)}</span>`);
  return html;
}

function formatTimestamp(ms, style) {
  const date = new Date(ms);
  if (style === 'R') {
    const diff = Math.round((ms - Date.now()) / 1000);
    const abs = Math.abs(diff);
    const [value, unit] = abs < 60 ? [abs, 'second'] : abs < 3600 ? [Math.round(abs / 60), 'minute'] : abs < 86400 ? [Math.round(abs / 3600), 'hour'] : [Math.round(abs / 86400), 'day'];
    const text = `${value} ${unit}${value === 1 ? '' : 's'}`;
    return diff >= 0 ? `in ${text}` : `${text} ago`;
  }
  return date.toLocaleString();
}

function toast(message) {
  const box = $('toast');
  box.textContent = message;
  box.classList.remove('hidden');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => box.classList.add('hidden'), 6000);
}

async function call(path, body) {
  const response = await fetch(api(path), body === undefined ? {} : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const data = await response.json().catch(() => ({}));
  if (!response.ok && data && data.error) throw new Error(data.error);
  if (!response.ok && !(data && data.detail)) throw new Error(`HTTP ${response.status}`);
  return data;
}

function actingUser() {
  return view.state ? view.state.users.find((u) => u.role === view.as) : null;
}

// ---- loading ---------------------------------------------------------------------------------

async function refresh() {
  if (view.refreshing) { view.again = true; return; }
  view.refreshing = true;
  try {
    const [state, messages] = await Promise.all([call('state'), call('messages?as=' + view.as)]);
    view.state = state;
    renderState();
    renderMessages(messages.messages);
    if (view.commands.length === 0 || !state.ready) {
      view.commands = await call('commands');
    }
  } catch (e) {
    toast('Refresh failed: ' + e.message);
  } finally {
    view.refreshing = false;
    if (view.again) { view.again = false; refresh(); }
  }
}

function connectLive() {
  const live = $('live');
  const source = new EventSource(api('events'));
  source.onopen = () => live.classList.add('on');
  source.onmessage = () => refresh();
  source.onerror = () => live.classList.remove('on');
}

// ---- state panels ----------------------------------------------------------------------------

function renderState() {
  const s = view.state;
  $('guild-name').textContent = s.guild.name;
  $('channel-name').textContent = s.channel.name;
  $('channel-name-side').textContent = s.channel.name;
  $('community-name').textContent = s.community.name;
  $('sandbox-reason').textContent = s.problem ? 'Setup problem: ' + s.problem : s.ready ? '' : 'Setting up the demo…';
  for (const user of s.users) {
    const button = $('as-' + user.role);
    if (button) button.textContent = user.label;
  }

  fillSelect($('sim-task'), s.tasks.map((t) => [t.id, `${t.title} (${t.completions ?? 0} done)`]));
  fillSelect($('sim-allowlist'), s.allowlists.map((a) => [a.id, `${a.title} (${a.entries ?? 0} entries, ${a.status})`]));
  $('webhooks').replaceChildren(...s.webhooks.map((w) => el('li', {},
    el('span', { class: w.status >= 200 && w.status < 300 ? 'ok' : 'bad' }, w.status ?? 'error'), ' ',
    w.event, w.update ? ` / ${w.update}` : '')));
  $('naffles-state').replaceChildren(
    el('div', { class: 'naffles-row' }, el('strong', {}, s.community.name), ` (${s.community.id})`),
    ...s.tasks.map((t) => el('div', { class: 'naffles-row' }, `Task ${t.id}: ${t.completions ?? 0} completion(s), ${t.status}`)),
    ...s.allowlists.map((a) => el('div', { class: 'naffles-row', 'data-allowlist': a.id }, `Allowlist ${a.id}: ${a.entries ?? 0} entr${a.entries === 1 ? 'y' : 'ies'}, ${a.status}`)));
}

function fillSelect(select, items) {
  const current = select.value;
  select.replaceChildren(...items.map(([value, label]) => el('option', { value }, label)));
  if (items.some(([value]) => value === current)) select.value = current;
}

// ---- messages --------------------------------------------------------------------------------

function renderMessages(messages) {
  const box = $('messages');
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
  box.replaceChildren(...messages.filter((m) => !view.dismissed.has(m.id)).map(renderMessage));
  if (atBottom) box.scrollTop = box.scrollHeight;
}

function renderMessage(m) {
  const bot = view.state ? view.state.bot.name : 'Naffles Bot';
  const node = el('article', { class: 'message' + (m.ephemeral ? ' ephemeral' : ''), 'data-message-id': m.id, 'data-ephemeral': m.ephemeral ? 'true' : 'false' });
  if (m.interaction) {
    node.append(el('div', { class: 'reply-line' }, '↳ ', el('span', { class: 'who' }, m.interaction.user),
      m.interaction.command ? [' used ', el('span', { class: 'cmd' }, '/' + m.interaction.command)] : ' used a component'));
  }
  node.append(el('div', { class: 'avatar' }, 'N'));
  const body = el('div', { class: 'body' },
    el('div', { class: 'msg-head' }, el('span', { class: 'author' }, bot), el('span', { class: 'bot-tag' }, 'APP'),
      el('span', { class: 'time' }, new Date(m.timestamp).toLocaleTimeString()), m.edited ? el('span', { class: 'edited' }, '(edited)') : null));
  if (m.loading) body.append(el('div', { class: 'thinking' }, `${bot} is thinking…`));
  if (m.content) body.append(el('div', { class: 'content', html: markdown(m.content) }));
  for (const embed of m.embeds || []) body.append(renderEmbed(embed));
  if ((m.components || []).length) body.append(renderComponents(m));
  if (m.ephemeral) {
    body.append(el('div', { class: 'ephemeral-note' }, '👁 Only you can see this • ',
      el('a', { onclick: () => { view.dismissed.add(m.id); node.remove(); } }, 'Dismiss message')));
  }
  node.append(body);
  return node;
}

function renderEmbed(e) {
  const color = typeof e.color === 'number' ? '#' + e.color.toString(16).padStart(6, '0') : '#1e1f22';
  const node = el('div', { class: 'embed', style: `border-left-color: ${color}`, 'data-color': color });
  if (e.author && e.author.name) node.append(el('div', { class: 'embed-author' }, e.author.name));
  if (e.title) {
    node.append(el('div', { class: 'embed-title' }, e.url ? el('a', { href: e.url, target: '_blank', rel: 'noreferrer noopener' }, e.title) : e.title));
  }
  if (e.description) node.append(el('div', { class: 'embed-description', html: markdown(e.description) }));
  if ((e.fields || []).length) {
    node.append(el('div', { class: 'embed-fields' }, e.fields.map((f) => el('div', { class: 'embed-field' + (f.inline ? ' inline' : '') },
      el('div', { class: 'embed-field-name', html: markdown(f.name) }), el('div', { class: 'embed-field-value', html: markdown(f.value) })))));
  }
  const footer = [e.footer && e.footer.text, e.timestamp && new Date(e.timestamp).toLocaleString()].filter(Boolean).join(' • ');
  if (footer) node.append(el('div', { class: 'embed-footer' }, footer));
  return node;
}

function renderComponents(m) {
  const box = el('div', { class: 'components' });
  for (const row of m.components) {
    const line = el('div', { class: 'action-row' });
    for (const c of row.type === 1 ? row.components || [] : [row]) {
      if (c.type === 2) {
        const label = [c.emoji && c.emoji.name, c.label].filter(Boolean).join(' ');
        const button = el('button', { type: 'button', class: `btn s${c.style}`, disabled: c.disabled, 'data-custom-id': c.custom_id, title: c.url }, label + (c.style === 5 ? ' ↗' : ''));
        if (c.style === 5) button.addEventListener('click', () => toast('Link buttons open ' + c.url + ' (outside the sandbox).'));
        else button.addEventListener('click', () => act('click', { messageId: m.id, customId: c.custom_id }));
        line.append(button);
      } else if (c.type === 3 || c.type === 5 || c.type === 6) {
        const options = c.type === 3 ? c.options.map((o) => [o.value, [o.emoji && o.emoji.name, o.label].filter(Boolean).join(' ')])
          : c.type === 5 ? view.state.users.map((u) => [u.id, u.label]) : view.state.roles.map((r) => [r.id, r.name]);
        const select = el('select', { class: 'select', disabled: c.disabled, 'data-custom-id': c.custom_id },
          el('option', { value: '' }, c.placeholder || 'Make a selection'), options.map(([value, label]) => el('option', { value }, label)));
        select.addEventListener('change', () => { if (select.value) act('click', { messageId: m.id, customId: c.custom_id, values: [select.value] }); });
        line.append(select);
      }
    }
    box.append(line);
  }
  return box;
}

// ---- acting ----------------------------------------------------------------------------------

async function act(kind, body) {
  try {
    const result = await call(kind, { as: view.as, ...body });
    if (result.modal) showModal(result.modal);
  } catch (e) {
    toast(e.message);
  }
  refresh();
}

function setActing(role) {
  view.as = role;
  for (const button of document.querySelectorAll('.as-button')) button.classList.toggle('selected', button.dataset.as === role);
  const user = actingUser();
  $('command-input').placeholder = `Type / to run a slash command as ${user ? user.label : role}`;
  $('acting-hint').textContent = role === 'admin'
    ? 'Administrator in the demo server, admin of the demo community.'
    : 'A regular member: no Manage Server permission, member of the demo community.';
  refresh();
}

// ---- modal -----------------------------------------------------------------------------------

function showModal(modal) {
  $('modal-title').textContent = modal.title;
  const body = $('modal-body');
  body.replaceChildren();
  const inputs = [];
  for (const row of modal.components || []) {
    const input = row.type === 18 ? row.component : (row.components || [])[0];
    const label = row.type === 18 ? row.label : input && input.label;
    if (!input || input.type !== 4) continue;
    const attrs = { id: 'modal-' + input.custom_id, name: input.custom_id, 'data-field': input.custom_id, placeholder: input.placeholder,
      required: input.required !== false, maxlength: input.max_length, minlength: input.min_length };
    const field = input.style === 2 ? el('textarea', attrs) : el('input', { type: 'text', ...attrs });
    if (input.value) field.value = input.value;
    body.append(el('label', { for: attrs.id }, label || input.custom_id), field);
    inputs.push(field);
  }
  const form = $('modal');
  form.onsubmit = async (event) => {
    event.preventDefault();
    const fields = Object.fromEntries(inputs.map((i) => [i.name, i.value]));
    hideModal();
    await act('modal', { customId: modal.custom_id, fields });
  };
  $('modal-backdrop').classList.remove('hidden');
  if (inputs[0]) inputs[0].focus();
}

function hideModal() {
  $('modal-backdrop').classList.add('hidden');
}

// ---- command box -----------------------------------------------------------------------------

function matchingCommands() {
  const text = $('command-input').value.replace(/^\//, '').trim().toLowerCase();
  return view.commands.filter((c) => c.path.toLowerCase().startsWith(text) || (text.length > 0 && c.path.toLowerCase().includes(text)));
}

function renderMenu() {
  // A hide scheduled by an earlier blur must not close the menu this render opens (typing fast after a send).
  clearTimeout(view.menuHideTimer);
  const menu = $('command-menu');
  const input = $('command-input');
  if (view.selected || !input.value.startsWith('/')) { menu.classList.add('hidden'); return; }
  const items = matchingCommands();
  view.menuIndex = Math.min(view.menuIndex, Math.max(items.length - 1, 0));
  menu.replaceChildren(...items.map((c, i) => el('div', {
    class: 'command-item' + (i === view.menuIndex ? ' active' : ''), role: 'option', 'data-command': c.path,
    onmousedown: (event) => { event.preventDefault(); selectCommand(c); },
  }, el('span', { class: 'name' }, '/' + c.path), el('span', { class: 'desc' }, c.description))));
  menu.classList.toggle('hidden', items.length === 0);
}

function selectCommand(command) {
  view.selected = command;
  $('command-input').value = '/' + command.path;
  $('command-menu').classList.add('hidden');
  const box = $('command-options');
  box.replaceChildren(...command.options.map(optionField));
  box.classList.toggle('hidden', command.options.length === 0);
  $('command-send').disabled = false;
  const first = box.querySelector('input, select');
  if (first) first.focus(); else $('command-send').focus();
}

function optionField(o) {
  const attrs = { 'data-option': o.name, name: o.name, title: o.description };
  let input;
  const choose = (items) => el('select', attrs, o.required ? null : el('option', { value: '' }, '—'), items.map(([v, l]) => el('option', { value: v }, l)));
  if (o.choices && o.choices.length) input = choose(o.choices.map((c) => [c.value, c.name]));
  else if (o.type === 5) input = choose([['true', 'True'], ['false', 'False']]);
  else if (o.type === 6) input = choose(view.state.users.map((u) => [u.id, u.label]));
  else if (o.type === 7) input = choose([[view.state.channel.id, '#' + view.state.channel.name]]);
  else if (o.type === 8) input = choose(view.state.roles.map((r) => [r.id, '@' + r.name]));
  else if (o.type === 9) input = choose([...view.state.users.map((u) => [u.id, u.label]), ...view.state.roles.map((r) => [r.id, '@' + r.name])]);
  else if (o.type === 4 || o.type === 10) input = el('input', { type: 'number', step: o.type === 4 ? 1 : 'any', min: o.min_value, max: o.max_value, ...attrs });
  else input = el('input', { type: 'text', maxlength: o.max_length, ...attrs });
  input.addEventListener('keydown', (event) => { if (event.key === 'Enter') { event.preventDefault(); sendCommand(); } });
  return el('label', { class: 'option' }, el('span', {}, o.name, o.required ? el('span', { class: 'req' }, ' *') : null), input);
}

function clearCommand() {
  view.selected = null;
  $('command-input').value = '';
  $('command-options').replaceChildren();
  $('command-options').classList.add('hidden');
  $('command-send').disabled = true;
}

async function sendCommand() {
  const command = view.selected;
  if (!command) return;
  const options = {};
  for (const field of $('command-options').querySelectorAll('[data-option]')) {
    if (field.value !== '') options[field.dataset.option] = field.value;
  }
  clearCommand();
  await act('command', { command: command.path, options });
}

function wireCommandBox() {
  const input = $('command-input');
  input.addEventListener('input', () => {
    if (view.selected && input.value !== '/' + view.selected.path) {
      view.selected = null;
      $('command-options').classList.add('hidden');
      $('command-send').disabled = true;
    }
    view.menuIndex = 0;
    renderMenu();
  });
  input.addEventListener('focus', () => { if (!input.value) input.value = '/'; renderMenu(); });
  // Hidden a moment after the box loses focus, so a click on a menu item still lands; renderMenu cancels it.
  input.addEventListener('blur', () => { view.menuHideTimer = setTimeout(() => $('command-menu').classList.add('hidden'), 150); });
  input.addEventListener('keydown', (event) => {
    const items = matchingCommands();
    if (event.key === 'ArrowDown') { view.menuIndex = Math.min(view.menuIndex + 1, items.length - 1); renderMenu(); event.preventDefault(); }
    else if (event.key === 'ArrowUp') { view.menuIndex = Math.max(view.menuIndex - 1, 0); renderMenu(); event.preventDefault(); }
    else if (event.key === 'Enter') {
      event.preventDefault();
      if (view.selected) sendCommand();
      else if (items[view.menuIndex]) selectCommand(items[view.menuIndex]);
    } else if (event.key === 'Escape') { clearCommand(); }
  });
  $('command-send').addEventListener('click', sendCommand);
}

// ---- simulate --------------------------------------------------------------------------------

async function simulate(body) {
  const result = $('sim-result');
  result.textContent = 'Sending…';
  try {
    const outcome = await call('simulate', body);
    result.textContent = outcome.detail;
  } catch (e) {
    result.textContent = e.message;
  }
  refresh();
}

// ---- start -----------------------------------------------------------------------------------

for (const button of document.querySelectorAll('.as-button')) button.addEventListener('click', () => setActing(button.dataset.as));
$('modal-close').addEventListener('click', hideModal);
$('modal-cancel').addEventListener('click', hideModal);
$('sim-complete').addEventListener('click', () => simulate({ event: 'task-completed', taskId: $('sim-task').value }));
$('sim-enter').addEventListener('click', () => simulate({ event: 'allowlist-entry', allowlistId: $('sim-allowlist').value }));
$('sim-winners').addEventListener('click', () => simulate({ event: 'winners', allowlistId: $('sim-allowlist').value }));
wireCommandBox();
refresh();
connectLive();
