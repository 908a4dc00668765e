// confbot playground page: act as any person of the conference, chat with the
// bot, move the simulated clock. Plain script, no build step.
'use strict';

const ROLE_NAMES = {
  admin: 'Quản trị', secretary: 'Thư ký', head: 'Thủ trưởng', delegate: 'Đại biểu', observer: 'Khách mời',
};

const state = {
  info: null,
  people: [],
  as: 0,            // who the page acts as
  chat: 0,          // the chat on screen
  seen: new Map(),  // chat id -> last message id seen, for the unread badges
  lastId: new Map(), // chat id -> last message id the server has
  live: false,      // the event stream is connected
};

const $ = (id) => document.getElementById(id);

async function api(path, body) {
  const opts = body === undefined ? {} : body instanceof FormData
    ? { method: 'POST', body }
    : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
  const res = await fetch(path, opts);
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.error || res.statusText);
  return data;
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('data-')) e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

function toast(text, alert) {
  const t = $('toast');
  t.textContent = text;
  t.className = 'toast' + (alert ? ' alert' : '');
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, alert ? 4000 : 2200);
}

function roleText(p) { return p.roles.map((r) => ROLE_NAMES[r] || r).join(', '); }

function fmtTime(iso, withDay) {
  const opts = { timeZone: state.info.conference.timezone, hour: '2-digit', minute: '2-digit', hour12: false };
  if (withDay) Object.assign(opts, { weekday: 'long', day: '2-digit', month: '2-digit', year: 'numeric' });
  return new Intl.DateTimeFormat('vi-VN', opts).format(new Date(iso));
}

function fmtDay(iso) {
  return new Intl.DateTimeFormat('vi-VN', { timeZone: state.info.conference.timezone, weekday: 'long', day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date(iso));
}

// docIcon is a file glyph drawn in SVG: emoji fonts are not everywhere.
function docIcon() {
  const span = el('span', { class: 'icon' });
  span.innerHTML = '<svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true"><path fill="currentColor" d="M6 2h8l6 6v12a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zm7 1.5V9h5.5L13 3.5z"/></svg>';
  return span;
}

function fmtSize(n) {
  if (n < 1024) return n + ' B';
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KB';
  return (n / 1024 / 1024).toFixed(1) + ' MB';
}

// ---- who and where ----

function person(id) { return state.people.find((p) => p.id === id); }

function chatsOf() {
  const list = [{ id: state.as, title: 'Trò chuyện với bot', sub: '@' + state.info.bot_username }];
  if (state.info.group) list.push({ id: state.info.group.id, title: state.info.group.title, sub: 'Nhóm của cụm' });
  return list;
}

function renderPeople() {
  const nav = $('people');
  const select = $('person-select');
  nav.replaceChildren();
  select.replaceChildren();
  const groups = [{ code: '', name: 'Quản trị hệ thống' }, ...state.info.units];
  for (const g of groups) {
    const members = state.people.filter((p) => (p.unit || '') === g.code);
    if (!members.length) continue;
    const label = g.code ? `${g.code} — ${g.name}` : g.name;
    nav.append(el('div', { class: 'unit', text: label }));
    const og = el('optgroup', { label });
    for (const p of members) {
      const b = el('button', { type: 'button', 'data-person': String(p.id), class: p.id === state.as ? 'active' : '' },
        el('span', { text: p.name }), el('span', { class: 'roles', text: roleText(p) }));
      b.addEventListener('click', () => choose(p.id, p.id));
      nav.append(b);
      og.append(el('option', { value: String(p.id), text: `${p.name} (${roleText(p)})`, selected: p.id === state.as }));
    }
    select.append(og);
  }
}

function renderChats() {
  const nav = $('chats');
  nav.replaceChildren();
  for (const c of chatsOf()) {
    const unread = (state.lastId.get(c.id) || 0) - (state.seen.get(c.id) || 0);
    const b = el('button', { type: 'button', 'data-chat': String(c.id), class: c.id === state.chat ? 'active' : '' },
      el('span', { text: c.title }), c.id !== state.chat && unread > 0 ? el('span', { class: 'badge', text: String(unread) }) : null);
    b.addEventListener('click', () => choose(state.as, c.id));
    nav.append(b);
  }
  const c = chatsOf().find((x) => x.id === state.chat);
  const p = person(state.as);
  $('chat-title').textContent = c ? c.title : '';
  $('chat-sub').textContent = `${c ? c.sub : ''} · bạn là ${p ? p.name : ''}`;
}

// choose switches person and chat; history stays with the simulated Telegram.
function choose(as, chat) {
  state.as = as;
  state.chat = chat;
  history.replaceState(null, '', `#as=${as}&chat=${chat}`);
  renderPeople();
  renderChats();
  $('messages').replaceChildren();
  $('keyboard').replaceChildren();
  refresh();
  $('text').focus();
}

// ---- messages ----

function renderMessage(m) {
  const mine = !m.from_bot && m.from_id === state.as;
  const bubble = el('div', { class: 'bubble' });
  if (!mine && state.chat < 0) bubble.append(el('div', { class: 'from', text: m.from_name }));
  if (m.photo) {
    const img = el('img', { class: 'photo', src: m.photo.url, alt: m.text || 'ảnh' });
    img.addEventListener('load', () => {
      const box = $('messages');
      if (box.scrollHeight - box.scrollTop - box.clientHeight < img.height + 120) box.scrollTop = box.scrollHeight;
    });
    img.addEventListener('click', () => window.open(m.photo.url, '_blank'));
    bubble.append(img);
  }
  if (m.document) {
    bubble.append(el('a', { class: 'doc', href: m.document.url, download: m.document.name },
      docIcon(),
      el('span', {}, el('span', { class: 'name', text: m.document.name }), el('span', { class: 'size', text: fmtSize(m.document.size) }))));
  }
  if (m.html) {
    const t = el('div', { class: 'text' });
    t.innerHTML = m.html; // sanitised by the server: b, i, u, s, code, pre, blockquote, a[href]
    bubble.append(t);
  }
  bubble.append(el('div', { class: 'meta', text: (m.edited ? 'đã sửa · ' : '') + fmtTime(m.date) }));
  const wrap = el('div', { class: 'msg ' + (m.from_bot ? 'bot' : mine ? 'me' : 'other'), 'data-id': String(m.id) }, bubble);
  if (m.buttons && m.buttons.length) {
    const kb = el('div', { class: 'inline-keyboard' });
    for (const row of m.buttons) {
      const r = el('div', { class: 'row' });
      for (const b of row) {
        if (b.url) {
          r.append(el('a', { href: b.url, target: '_blank', rel: 'noopener', text: b.text }));
        } else {
          const btn = el('button', { type: 'button', text: b.text, 'data-callback': b.data });
          btn.addEventListener('click', () => press(m.id, b.data, btn));
          r.append(btn);
        }
      }
      kb.append(r);
    }
    wrap.append(kb);
  }
  wrap.dataset.sig = JSON.stringify([m.html, m.edited, m.buttons, m.photo, m.document]);
  wrap.dataset.day = fmtDay(m.date);
  return wrap;
}

// showMessages brings the list up to date: new messages are appended, edited
// ones replaced in place (unchanged ones keep their node), deleted ones removed.
function showMessages(msgs) {
  const box = $('messages');
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
  const first = !box.querySelector('.msg');
  const existing = new Map([...box.querySelectorAll('.msg')].map((e) => [e.dataset.id, e]));
  const nodes = [];
  let lastDay = '';
  for (const m of msgs) {
    let node = renderMessage(m);
    const old = existing.get(String(m.id));
    if (old && old.dataset.sig === node.dataset.sig) node = old;
    else if (old) node.classList.add('flash');
    if (node.dataset.day !== lastDay) {
      lastDay = node.dataset.day;
      nodes.push(el('div', { class: 'day', text: lastDay }));
    }
    nodes.push(node);
  }
  if (!msgs.length) nodes.push(el('div', { class: 'empty', text: 'Chưa có tin nhắn. Thử gửi /start' }));
  box.replaceChildren(...nodes);
  if (atBottom || first) box.scrollTop = box.scrollHeight;
  const kb = $('keyboard');
  kb.replaceChildren();
  const lastBot = [...msgs].reverse().find((m) => m.from_bot);
  for (const row of (lastBot && lastBot.keyboard) || []) {
    for (const text of row) {
      const b = el('button', { type: 'button', text });
      b.addEventListener('click', () => send(text));
      kb.append(b);
    }
  }
}

let refreshing = null;
async function refresh() {
  if (refreshing) { refreshing.again = true; return; }
  refreshing = { again: false };
  try {
    do {
      refreshing.again = false;
      const as = state.as;
      const chat = state.chat;
      const data = await api(`/api/chat?as=${as}&chat=${chat}&since=0`);
      if (as !== state.as || chat !== state.chat) continue;
      state.lastId.set(chat, data.last_id);
      state.seen.set(chat, data.last_id);
      showMessages(data.messages);
      renderChats();
    } while (refreshing.again);
  } catch (e) {
    toast('Lỗi: ' + e.message, false);
  } finally {
    refreshing = null;
  }
}

// refreshOthers updates the unread badges of chats not on screen.
async function refreshOthers(ids) {
  for (const c of chatsOf()) {
    if (c.id === state.chat || (ids && !ids.includes(c.id))) continue;
    try {
      const data = await api(`/api/chat?as=${state.as}&chat=${c.id}&since=${1e15}`);
      state.lastId.set(c.id, data.last_id);
      if (!state.seen.has(c.id)) state.seen.set(c.id, 0);
    } catch (e) { /* the badge can wait */ }
  }
  renderChats();
}

// ---- actions ----

async function send(text) {
  try {
    await api('/api/send', { as: state.as, chat: state.chat, text });
    refresh();
  } catch (e) {
    toast('Không gửi được: ' + e.message);
  }
}

async function press(messageId, data, btn) {
  btn.disabled = true;
  try {
    const res = await api('/api/press', { as: state.as, chat: state.chat, message_id: messageId, data });
    if (res.text) toast(res.text, res.show_alert);
  } catch (e) {
    toast('Lỗi: ' + e.message);
  } finally {
    btn.disabled = false;
    refresh();
  }
}

async function upload(file) {
  const form = new FormData();
  form.append('as', String(state.as));
  form.append('chat', String(state.chat));
  form.append('caption', $('text').value);
  form.append('file', file);
  try {
    await api('/api/upload', form);
    $('text').value = '';
    refresh();
  } catch (e) {
    toast('Không tải lên được: ' + e.message);
  }
}

// ---- clock ----

async function showClock(data) {
  const c = data || await api('/api/clock');
  $('clock').textContent = c.local;
  $('until').textContent = c.until_start ? `(còn ${humanDuration(c.until_start)} đến hội nghị)` : '(hội nghị đã bắt đầu)';
}

function humanDuration(go) {
  const h = Number((go.match(/(\d+)h/) || [0, 0])[1]);
  const m = Number((go.match(/(\d+)m/) || [0, 0])[1]);
  const d = Math.floor(h / 24);
  return (d ? d + ' ngày ' : '') + (h % 24) + ' giờ ' + m + ' phút';
}

async function advance(what) {
  try {
    await showClock(await api('/api/clock', { advance: what }));
    refresh();
    refreshOthers();
  } catch (e) {
    toast('Lỗi: ' + e.message);
  }
}

// ---- live updates ----

function listen() {
  if (!window.EventSource) return;
  const es = new EventSource('/api/events');
  es.addEventListener('ready', () => { state.live = true; });
  es.addEventListener('chats', (ev) => {
    const ids = JSON.parse(ev.data).chats || [];
    if (ids.includes(state.chat)) refresh();
    refreshOthers(ids);
  });
  es.addEventListener('clock', () => showClock());
  es.onerror = () => { state.live = false; };
}

// ---- start ----

async function main() {
  state.info = await api('/api/info');
  state.people = await api('/api/people');
  $('storage-note').textContent = state.info.in_memory
    ? 'Trạng thái chỉ lưu trong bộ nhớ — in-memory'
    : 'Redis: ' + state.info.redis;
  const conf = state.info.conference;
  $('dates').textContent = `${conf.title}. Ngày đã dời cho sân chơi: hạn nộp báo cáo ${fmtTime(conf.summary_deadline, true)}, `
    + `hội nghị khai mạc ${fmtTime(conf.starts_at, true)} tại ${conf.location}.`;
  document.title = `confbot — sân chơi — ${conf.ref}`;

  const hash = new URLSearchParams(location.hash.slice(1));
  const first = state.people.find((p) => p.unit) || state.people[0];
  const as = Number(hash.get('as')) || first.id;
  const chat = Number(hash.get('chat')) || as;
  $('person-select').addEventListener('change', (e) => { const id = Number(e.target.value); choose(id, id); });
  $('composer').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = $('text').value.trim();
    if (!text) return;
    $('text').value = '';
    send(text);
  });
  $('file').addEventListener('change', (e) => {
    const f = e.target.files[0];
    e.target.value = '';
    if (f) upload(f);
  });
  // A chat read at its end stays at its end when the window changes size.
  let stick = true;
  $('messages').addEventListener('scroll', () => {
    const box = $('messages');
    stick = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
  });
  window.addEventListener('resize', () => { if (stick) $('messages').scrollTop = $('messages').scrollHeight; });
  for (const b of document.querySelectorAll('[data-advance]')) b.addEventListener('click', () => advance(b.dataset.advance));
  // Invite links to this bot act in the playground: /start TOKEN as the current person.
  document.addEventListener('click', (e) => {
    const a = e.target.closest('a[href]');
    if (!a) return;
    const m = a.href.match(/^https:\/\/t\.me\/([A-Za-z0-9_]+)\?start=([A-Za-z0-9_-]{1,64})$/);
    if (!m || m[1].toLowerCase() !== state.info.bot_username.toLowerCase()) return;
    e.preventDefault();
    state.chat = state.as;
    send('/start ' + m[2]).then(() => choose(state.as, state.as));
  });
  choose(person(as) ? as : first.id, person(as) && (chat === as || (state.info.group && chat === state.info.group.id)) ? chat : as);
  showClock();
  refreshOthers();
  listen();
  setInterval(() => { if (!state.live) { refresh(); refreshOthers(); } }, 2000); // polling when the stream is down
  setInterval(showClock, 30000);
}

main().catch((e) => { document.body.prepend(el('p', { class: 'toast', text: 'Không tải được sân chơi: ' + e.message })); });
