// Operators' console. Every text from the server is put in the page with textContent (never as HTML):
// students' messages are untrusted. Charts are inline SVG drawn here, no library.
"use strict";

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
const FLAG_NAMES = {
  fallback: "non compris", out_of_scope: "hors sujet", low_confidence: "confiance faible",
  rephrased: "reformulé juste après", asked_again: "redemandé", disliked: "noté 👎",
};
const REASON_NAMES = { off_topic: "pas la réponse à sa question", incomplete: "incomplet", wrong: "faux" };
const STATUS_NAMES = { reviewed: "revu", ignored: "ignoré", labelled: "étiqueté" };
let meta = null;
let currentTab = "messages";
let page = 1;  // of the message list, 100 messages a page (the server's)

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

async function api(path, body) {
  const options = body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  };
  const response = await fetch(path, { credentials: "same-origin", ...options });
  let data = {};
  try { data = await response.json(); } catch (error) { data = { error: "Réponse illisible du serveur." }; }
  if (response.status === 401 && path !== "/api/login") showLogin();
  if (!response.ok) throw new Error(data.error || `Erreur ${response.status}`);
  return data;
}

// ---------------------------------------------------------------- login
function showLogin(message = "") {
  $("app").hidden = true; $("who").hidden = true; $("logout").hidden = true;
  $("login").hidden = false; $("login-error").textContent = message;
  document.documentElement.dataset.console = "login";
}

async function start() {
  try {
    meta = await api("/api/meta");
  } catch (error) {
    if (!$("login").hidden) return;
    showLogin(error.message === "Connexion requise." ? "" : error.message);
    return;
  }
  $("login").hidden = true; $("app").hidden = false;
  $("who").textContent = `Connecté : ${meta.operator} · conversations gardées ${meta.retention_days} jours`;
  $("who").hidden = false; $("logout").hidden = false;
  fillSelect($("f-channel"), meta.channels);
  fillSelect($("f-job"), meta.jobs);
  fillSelect($("f-intent"), meta.seen_intents);
  document.documentElement.dataset.console = "ready";
  await refresh();
}

function fillSelect(select, values) {
  const keep = select.value;
  while (select.options.length > 1) select.remove(1);
  for (const value of values) select.append(el("option", { value }, value));
  select.value = keep;
}

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("login-error").textContent = "";
  try {
    await api("/api/login", { name: $("login-name").value, token: $("login-token").value });
    $("login-token").value = "";
    await start();
  } catch (error) {
    $("login-error").textContent = error.message;
  }
});

$("logout").addEventListener("click", async () => {
  try { await api("/api/logout", {}); } finally { showLogin("Déconnecté."); }
});

// ---------------------------------------------------------------- tabs and filters
for (const tab of document.querySelectorAll("[data-tab]")) {
  tab.addEventListener("click", () => {
    currentTab = tab.dataset.tab;
    for (const other of document.querySelectorAll("[data-tab]")) {
      other.setAttribute("aria-selected", String(other === tab));
    }
    for (const name of ["messages", "charts", "evaluations", "advisors"]) $(`tab-${name}`).hidden = name !== currentTab;
    $("filters").hidden = currentTab === "evaluations" || currentTab === "advisors";
    $("filters").classList.toggle("charts-only", currentTab === "charts");
    refresh();
  });
}

function filterQuery() {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData($("filters"))) if (value) params.set(key, value);
  return params.toString();
}

$("filters").addEventListener("submit", (event) => { event.preventDefault(); page = 1; refresh(); });

for (const [id, step] of [["page-prev", -1], ["page-next", 1]]) {
  $(id).addEventListener("click", async () => {
    page = Math.max(1, page + step);
    await refresh();
    $("tab-messages").scrollIntoView({ block: "start" });
  });
}

async function refresh() {
  document.documentElement.dataset.loading = "true";
  try {
    if (currentTab === "messages") await loadTurns();
    else if (currentTab === "charts") await loadCharts();
    else if (currentTab === "advisors") await loadAdvisors();
    else await loadEvaluations();
  } catch (error) {
    $("count").textContent = error.message;
  } finally {
    document.documentElement.dataset.loading = "false";
  }
}

// ---------------------------------------------------------------- messages
async function loadTurns() {
  const query = filterQuery();
  const data = await api(`/api/turns?${query}${query ? "&" : ""}page=${page}`);
  const first = (data.page - 1) * data.page_size + 1;
  $("count").textContent = data.total === 0 ? "Aucun message pour ces filtres."
    : `${data.total} message${data.total > 1 ? "s" : ""}, du plus récent au plus ancien`
      + (data.pages > 1 ? ` : ${first} à ${first + data.turns.length - 1} affichés.` : ".");
  $("export").href = `/api/export.csv?${query}`;  // every message of these filters, not only this page
  $("pager").hidden = data.pages <= 1;
  $("page-info").textContent = `Page ${data.page} sur ${data.pages}`;
  $("page-prev").disabled = data.page <= 1;
  $("page-next").disabled = data.page >= data.pages;
  $("turns").replaceChildren(...data.turns.map((turn) => turnItem(turn, true)));
}

function statusText(turn) {
  const name = STATUS_NAMES[turn.status] || turn.status;
  return turn.marked_by ? `${name} par ${turn.marked_by} le ${turn.marked_at}` : name;
}

function showStatus(item, turn) {
  const old = item.querySelector(".meta .status");
  if (old) old.remove();
  if (turn.status) item.querySelector(".meta").append(el("span", { class: `status ${turn.status}` }, statusText(turn)));
}

function turnItem(turn, actions) {
  const item = el("li", { class: `turn${turn.advisor ? " advisor" : ""}`, "data-sender": turn.sender_id, "data-ts": turn.timestamp });
  const confidence = `${Math.round(turn.confidence * 100)} %`;
  item.append(
    el("p", { class: "meta" },
      el("time", {}, turn.time), " · ", turn.channel || "canal ?", " · ",
      el("span", { class: "sender", title: turn.sender_id }, turn.advisor ? "conseiller" : `élève ${turn.sender_id.slice(0, 8)}`),
      turn.job ? ` · ${turn.job}` : "",
      turn.status ? el("span", { class: `status ${turn.status}` }, statusText(turn)) : null),
    el("p", { class: `said${turn.payload ? " payload" : ""}` }, turn.payload ? `bouton ${turn.text}` : turn.text),
    el("p", { class: "parse" },
      el("span", { class: "intent" }, turn.intent || "?"), " ", el("span", { class: "confidence" }, confidence),
      ...turn.entities.map((e) => el("span", { class: "entity" }, `${e.entity} = ${e.value}`)),
      ...turn.flags.map((flag) => el("span", { class: `flag ${flag}` }, FLAG_NAMES[flag] || flag))),
    ...(turn.ratings || []).map((r) => el("p", { class: `rated ${r.rating}` },
      r.rating === "up" ? "L'élève a noté cette réponse 👍" : `L'élève a noté cette réponse 👎${r.reason ? ` (${REASON_NAMES[r.reason] || r.reason})` : ""}`)),
    ...turn.replies.map((reply) => el("p", { class: "reply" },
      reply.text, reply.buttons.length ? el("span", { class: "buttons" }, ` [${reply.buttons.join("] [")}]`) : null)),
  );
  if (actions) {
    const bar = el("p", { class: "actions" },
      el("button", { type: "button", class: "quiet", onclick: () => openConversation(turn.sender_id, turn.timestamp) }, "Conversation"),
      el("button", { type: "button", onclick: () => mark(turn, item, "reviewed") }, "Revu"),
      el("button", { type: "button", onclick: () => mark(turn, item, "ignored") }, "Ignorer"),
      turn.payload ? null : el("button", { type: "button", onclick: () => labelForm(turn, item) }, "Étiqueter"),
      turn.status === "labelled" ? el("button", { type: "button", class: "quiet unlabel",
        onclick: () => unlabel(turn, item, { intent: turn.label || "", example: "", file: "l'entraînement" }) },
      "Retirer de l'entraînement") : null);
    item.append(bar, el("p", { class: "result", role: "status" }));
  }
  return item;
}

async function mark(turn, item, status) {
  const result = item.querySelector(".result");
  try {
    const marked = await api("/api/mark", { sender: turn.sender_id, ts: turn.timestamp, status });
    item.classList.toggle("done", Boolean(status));
    showStatus(item, marked);
    if (!status) {
      result.textContent = "Marque annulée : le message est de nouveau à revoir.";
      return;
    }
    result.replaceChildren(`Marqué ${STATUS_NAMES[status]}. `,
      el("button", { type: "button", class: "quiet", onclick: () => mark(turn, item, "") }, "Annuler"));
  } catch (error) {
    result.textContent = error.message;
  }
}

async function unlabel(turn, item, added) {
  const result = item.querySelector(".result");
  try {
    await api("/api/unlabel", { sender: turn.sender_id, ts: turn.timestamp, intent: added.intent, example: added.example });
    result.textContent = `Retiré de ${added.file} : le message est de nouveau à revoir.`;
    item.classList.remove("done");
    showStatus(item, { status: "" });
  } catch (error) {
    result.textContent = error.message;
  }
}

async function labelForm(turn, item) {
  const result = item.querySelector(".result");
  if (item.querySelector(".label-form")) return;
  let draft;
  try {
    draft = await api(`/api/draft?sender=${encodeURIComponent(turn.sender_id)}&ts=${turn.timestamp}`);
  } catch (error) {
    result.textContent = error.message;
    return;
  }
  const text = el("input", { class: "label-text", value: draft.text, "aria-label": "Message annoté" });
  text.value = draft.text;
  const intent = el("select", { class: "label-intent", "aria-label": "Intention" },
    el("option", { value: "" }, "choisir l'intention…"), ...meta.intents.map((name) => el("option", { value: name }, name)));
  intent.value = draft.intent;
  const form = el("form", { class: "label-form", novalidate: true },
    el("label", {}, "Message, entités annotées [mots](entité) ", text),
    el("label", {}, "Intention ", intent),
    el("p", { class: "hint" }, `Entités : ${meta.entities.join(", ")}. Ajouté au fichier de l'intention sous data/nlu/.`),
    el("button", { type: "submit" }, "Ajouter à l'entraînement"),
    el("button", { type: "button", class: "quiet", onclick: () => form.remove() }, "Annuler"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const added = await api("/api/label", { sender: turn.sender_id, ts: turn.timestamp, text: text.value, intent: intent.value });
      result.replaceChildren(`Ajouté à ${added.file} (${added.intent}) : ${added.example} `,
        el("button", { type: "button", class: "quiet", onclick: () => unlabel(turn, item, added) }, "Annuler"));
      result.classList.remove("error");
      item.classList.add("done");
      showStatus(item, added);
      form.remove();
    } catch (error) {
      result.textContent = error.message;
      result.classList.add("error");
    }
  });
  item.querySelector(".actions").after(form);
  text.focus();
}

let conversationSender = "";

async function openConversation(sender, highlight) {
  conversationSender = sender;
  const data = await api(`/api/conversation?sender=${encodeURIComponent(sender)}`);
  $("conversation-title").textContent = `Conversation ${sender.slice(0, 12)} · ${data.turns.length} messages`;
  $("conversation-turns").replaceChildren(...data.turns.map((turn) => {
    const item = turnItem(turn, false);
    if (turn.timestamp === highlight) item.classList.add("highlight");
    return item;
  }));
  $("conversation").showModal();
}
$("conversation-close").addEventListener("click", () => $("conversation").close());

// ---------------------------------------------------------------- a conversation saved as a story
function options(values, chosen, first) {
  const list = [...values];
  if (chosen && !list.includes(chosen)) list.unshift(chosen);  // what the bot did, even if the domain no longer has it
  const select = el("select", {}, first ? el("option", { value: "" }, first) : null, list.map((v) => el("option", { value: v }, v)));
  select.value = chosen || "";
  return select;
}

function entityRow(vocabulary, entity) {
  const name = options(vocabulary.entities, entity.entity, "(retirer)");
  name.classList.add("story-entity-name");
  name.setAttribute("aria-label", "Entité");
  const value = el("input", { class: "story-entity-value", "aria-label": "Valeur", placeholder: "valeur" });
  value.value = entity.value ?? "";
  const words = el("input", { class: "story-entity-words", "aria-label": "Mots du message", placeholder: "mots du message" });
  words.value = entity.words || "";
  const row = el("div", { class: "story-entity", "data-start": entity.start ?? "", "data-end": entity.end ?? "" },
    el("label", {}, "Entité ", name), el("label", {}, "Valeur ", value), el("label", {}, "Mots ", words),
    el("button", { type: "button", class: "quiet", onclick: () => row.remove() }, "Retirer"));
  // words edited: the stored span no longer applies
  words.addEventListener("input", () => { row.dataset.start = ""; row.dataset.end = ""; });
  return row;
}

function storyTurn(vocabulary, turn) {
  const include = el("input", { type: "checkbox", class: "story-include", checked: true });
  const keep = el("input", { type: "checkbox", class: "story-keep-text" });
  keep.checked = false;
  const intent = options(vocabulary.intents, turn.intent);
  intent.classList.add("story-intent");
  intent.setAttribute("aria-label", "Intention");
  const entities = el("div", { class: "story-entities" }, turn.entities.map((e) => entityRow(vocabulary, e)));
  const actions = (turn.actions.length ? turn.actions : [""]).map((action, index) => {
    const select = options(vocabulary.actions, action, turn.actions.length ? null : "(aucune)");
    select.classList.add("story-action");
    return el("label", {}, `Action ${turn.actions.length > 1 ? index + 1 : "du bot"} `, select);
  });
  const item = el("li", { class: "turn story-turn", "data-ts": turn.ts },
    el("p", { class: "story-head" }, el("label", { class: "check" }, include, " inclure"),
      el("span", { class: `said${turn.payload ? " payload" : ""}` }, turn.payload ? `bouton ${turn.text}` : turn.text)),
    turn.payload ? null : el("label", { class: "check" }, keep,
      " le texte ne contient rien de personnel : le garder (histoire de test)"),
    el("div", { class: "story-fields" }, el("label", {}, "Intention ", intent), ...actions),
    entities,
    el("p", {}, el("button", { type: "button", class: "quiet", onclick: () => entities.append(entityRow(vocabulary, {})) }, "Ajouter une entité")),
    turn.slots.length ? el("p", { class: "story-slots" }, `slots : ${turn.slots.map(([n, v]) => `${n} = ${JSON.stringify(v)}`).join(" · ")}`) : null);
  include.addEventListener("change", () => item.classList.toggle("excluded", !include.checked));
  return item;
}

function correction(item) {
  const entities = [...item.querySelectorAll(".story-entity")].map((row) => {
    const entity = { entity: row.querySelector(".story-entity-name").value, value: row.querySelector(".story-entity-value").value,
      words: row.querySelector(".story-entity-words").value };
    if (row.dataset.start !== "") { entity.start = Number(row.dataset.start); entity.end = Number(row.dataset.end); }
    return entity;
  }).filter((e) => e.entity);
  const actions = [...item.querySelectorAll(".story-action")].map((s) => s.value).filter(Boolean);
  const keep = item.querySelector(".story-keep-text");
  return { ts: Number(item.dataset.ts), intent: item.querySelector(".story-intent").value, entities, actions,
    keep_text: Boolean(keep && keep.checked) };
}

async function openStory() {
  const sender = conversationSender;
  const data = await api(`/api/story?sender=${encodeURIComponent(sender)}`);
  $("story").dataset.sender = sender;
  $("story-turns").replaceChildren(...data.turns.map((turn) => storyTurn(data, turn)));
  $("story-result").replaceChildren();
  $("story-result").classList.remove("error");
  $("story-kind").value = "test";  // each conversation starts as a test story
  $("conversation").close();
  $("story").showModal();
}

async function undoStory() {
  try {
    const undone = await api("/api/story/undo", {});
    $("story-result").textContent = `Annulé : ${undone.file} est revenu à son contenu d'avant.`;
    $("story-result").classList.remove("error");
  } catch (error) {
    $("story-result").textContent = error.message;
    $("story-result").classList.add("error");
  }
}

$("story-open").addEventListener("click", () => openStory().catch((error) => { $("conversation-title").textContent = error.message; }));
$("story-close").addEventListener("click", () => $("story").close());
$("story-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const turns = [...$("story-turns").querySelectorAll(".story-turn")].filter((item) => item.querySelector(".story-include").checked);
  try {
    const saved = await api("/api/story", { sender: $("story").dataset.sender, kind: $("story-kind").value, turns: turns.map(correction) });
    $("story-result").replaceChildren(`Histoire enregistrée dans ${saved.file} : « ${saved.name} ». `,
      saved.kind === "test" ? "Lancez make test-core. " : "Lancez make validate train. ",
      el("button", { type: "button", class: "quiet", id: "story-undo", onclick: undoStory }, "Annuler"));
    $("story-result").classList.remove("error");
  } catch (error) {
    $("story-result").textContent = error.message;
    $("story-result").classList.add("error");
  }
});

// ---------------------------------------------------------------- charts (inline SVG)
async function loadCharts() {
  const stats = await api(`/api/stats?${filterQuery()}`);
  $("charts-total").textContent = `${stats.total} messages (hors tests des conseillers sauf case cochée).`;
  // Drawn at the container's width, so that the labels keep a readable size on a phone
  const width = Math.max(280, $("chart-days").clientWidth || 600);
  $("chart-days").replaceChildren(columns(stats.days.map((d) => [d.day.slice(5), d.messages]), width));
  $("chart-rates").replaceChildren(lines(stats.days.map((d) => d.day.slice(5)), [
    { name: "non compris", values: stats.days.map((d) => d.fallback_rate), class: "s1" },
    { name: "hors sujet", values: stats.days.map((d) => d.out_of_scope_rate), class: "s2" },
  ], width));
  $("chart-intents").replaceChildren(hbars(stats.intents));
  $("chart-topics").replaceChildren(hbars(stats.topics, meta.topic_labels || {}));
  $("chart-disliked-intents").replaceChildren(hbars(stats.disliked_intents || []));
  $("chart-disliked-topics").replaceChildren(hbars(stats.disliked_topics || [], meta.topic_labels || {}));
  $("chart-jobs").replaceChildren(jobsTable(stats.jobs));
  $("chart-advisors").replaceChildren(advisorFigures(stats.advisors || {}));
}

function advisorFigures(queue) {
  const rows = [
    ["En attente", `${queue.pending || 0}${queue.oldest_wait_s ? ` (la plus ancienne depuis ${duration(queue.oldest_wait_s)})` : ""}`],
    ["Répondues", `${queue.answered || 0}`],
    ["Délai de réponse médian", duration(queue.median_delay_s)],
    ["Délai de réponse maximal", duration(queue.max_delay_s)],
  ];
  return el("dl", { class: "figures" }, rows.flatMap(([name, value]) => [el("dt", {}, name), el("dd", {}, value)]));
}

function empty() { return el("p", { class: "hint" }, "Pas de données."); }

function columns(pairs, width) {
  if (!pairs.length) return empty();
  const height = 200, bottom = 24, top = 16;
  const max = Math.max(...pairs.map((p) => p[1]), 1);
  const step = width / pairs.length;
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img",
    "aria-label": pairs.map((p) => `${p[0]} : ${p[1]}`).join(", ") });
  pairs.forEach(([label, value], index) => {
    const h = (height - bottom - top) * value / max;
    const x = index * step + step * 0.15;
    chart.append(svg("rect", { x, y: height - bottom - h, width: step * 0.7, height: h, class: "bar" }));
    chart.append(svg("text", { x: x + step * 0.35, y: height - bottom - h - 3, class: "value" }, value));
    const every = Math.ceil(pairs.length / Math.max(2, Math.floor(width / 45)));
    if (index % every === 0) {
      chart.append(svg("text", { x: x + step * 0.35, y: height - 6, class: "label" }, label));
    }
  });
  return chart;
}

function lines(labels, series, width) {
  if (!labels.length) return empty();
  const height = 200, bottom = 24, top = 16, left = 36;
  const max = Math.max(0.1, ...series.flatMap((s) => s.values));
  const x = (i) => left + (labels.length === 1 ? (width - left) / 2 : 20 + i * (width - left - 50) / (labels.length - 1));
  const y = (v) => height - bottom - (height - bottom - top) * v / max;
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img",
    "aria-label": series.map((s) => `${s.name} : ${s.values.map((v) => `${Math.round(v * 100)} %`).join(", ")}`).join(" ; ") });
  for (const tick of [0, max / 2, max]) {
    chart.append(svg("line", { x1: left, x2: width, y1: y(tick), y2: y(tick), class: "grid" }));
    chart.append(svg("text", { x: left - 4, y: y(tick) + 4, class: "axis" }, `${Math.round(tick * 100)} %`));
  }
  labels.forEach((label, i) => {
    if (i % Math.ceil(labels.length / Math.max(2, Math.floor(width / 45))) === 0) {
      chart.append(svg("text", { x: x(i), y: height - 6, class: "label" }, label));
    }
  });
  series.forEach((s, index) => {
    chart.append(svg("polyline", { points: s.values.map((v, i) => `${x(i)},${y(v)}`).join(" "), class: `line ${s.class}` }));
    s.values.forEach((v, i) => chart.append(svg("circle", { cx: x(i), cy: y(v), r: 3.5, class: `dot ${s.class}` })));
    chart.append(svg("text", { x: left + 8 + index * 110, y: top - 4, class: `legend ${s.class}` }, `● ${s.name}`));
  });
  return chart;
}

const HBARS_SHOWN = 15;

function hbars(pairs, labels = {}) {
  if (!pairs.length) return empty();
  const max = Math.max(...pairs.map((p) => p[1]), 1);
  const list = el("ul", { class: "hbars" }, pairs.slice(0, HBARS_SHOWN).map(([name, count]) => {
    const bar = svg("svg", { viewBox: "0 0 100 10", preserveAspectRatio: "none", class: "hbar", "aria-hidden": "true" });
    bar.append(svg("rect", { x: 0, y: 0, width: Math.max(1, 100 * count / max), height: 10, class: "bar" }));
    return el("li", {}, el("span", { class: "name", title: name }, labels[name] || name), bar, el("span", { class: "n" }, count));
  }));
  if (pairs.length <= HBARS_SHOWN) return list;
  const rest = pairs.slice(HBARS_SHOWN);
  return el("div", {}, list, el("p", { class: "hint" },
    `… et ${rest.length} autre${rest.length > 1 ? "s" : ""} (${rest.reduce((n, p) => n + p[1], 0)} messages) : ${rest.map((p) => `${labels[p[0]] || p[0]} ${p[1]}`).join(", ")}.`));
}

function percent(rate) { return `${Math.round(rate * 1000) / 10} %`; }

function jobsTable(rows) {
  if (!rows.length) return empty();
  return el("table", {},
    el("thead", {}, el("tr", {}, ["Métier", "Messages", "Non compris", "Hors sujet", "Intentions les plus fréquentes"].map((h) => el("th", {}, h)))),
    el("tbody", {}, rows.map((row) => el("tr", {},
      el("td", {}, row.job), el("td", {}, row.messages), el("td", {}, percent(row.fallback_rate)),
      el("td", {}, percent(row.out_of_scope_rate)), el("td", {}, row.intents.map(([n, c]) => `${n} (${c})`).join(", "))))));
}

// ---------------------------------------------------------------- evaluations
function failedStories(title, source) {
  if (!source) return [];
  const failed = source.failed_stories || [];
  const passed = source.stories ? `${source.stories} histoires réussies` : "";
  const failing = failed.length ? `${failed.length} en échec` : "aucune en échec";
  const head = el("p", { class: "note" }, `${title} : ${[passed, failing].filter(Boolean).join(", ")}.`);
  return [head, ...failed.map((story) => {
    const first = story.first;
    return el("p", { class: "failed-story" }, el("strong", {}, `« ${story.story} »`), ` (${story.file}) : tour ${first.turn}`,
      first.intent ? ` (${first.intent})` : "", ` — l'histoire attend ${first.kind === "action" ? "l'action" : "l'intention"} `,
      el("code", {}, first.expected), ", le modèle a prédit ", el("code", {}, first.predicted),
      story.differences > 1 ? ` (${story.differences} écarts en tout)` : "");
  })];
}

async function loadEvaluations() {
  const { runs, stories } = await api("/api/evaluations");
  const latest = runs.length ? runs[runs.length - 1] : null;
  const failed = [...failedStories(`Dernier make test-core (${stories ? stories.name : ""})`, stories),
    ...failedStories(`Évaluation ${latest ? latest.name : ""}`, latest && latest.stories ? latest : null)];
  $("failed-stories").replaceChildren(...(failed.length ? failed
    : [el("p", { class: "note" }, "Aucun résultat de make test-core sous results/.")]));
  if (!runs.length) {
    $("evaluations").replaceChildren(el("p", { class: "hint" }, "Aucun rapport sous results/ : lancez make evaluate."));
    return;
  }
  const cell = (run, key) => {
    const value = run[key];
    if (value === null || value === undefined) return el("td", {}, "–");
    const change = run.change[key];
    return el("td", {}, value.toFixed(3), change === null ? null
      : el("span", { class: change > 0 ? "up" : change < 0 ? "down" : "same" }, ` (${change > 0 ? "+" : ""}${change.toFixed(3)})`));
  };
  $("evaluations").replaceChildren(el("table", {},
    el("thead", {}, el("tr", {}, ["Évaluation", "Exactitude", "F1 macro intentions", "F1 pondéré", "F1 entité job", "Intentions les plus faibles"].map((h) => el("th", {}, h)))),
    el("tbody", {}, runs.slice().reverse().map((run) => el("tr", {},
      el("td", {}, run.name), cell(run, "accuracy"), cell(run, "intent_macro_f1"), cell(run, "intent_weighted_f1"),
      cell(run, "job_f1"), el("td", {}, run.weakest.map(([n, f]) => `${n} ${f}`).join(", ")))))));
}

start();

// ---------------------------------------------------------------- advisors: questions the bot could not answer
function duration(seconds) {
  if (seconds === null || seconds === undefined) return "–";
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

function when(epoch) {
  return new Date(epoch * 1000).toLocaleString("fr-FR", { dateStyle: "short", timeStyle: "short" });
}

async function loadAdvisors() {
  const data = await api("/api/advisor");
  const stats = data.stats || {};
  $("advisor-stats").textContent = `${stats.pending || 0} en attente (la plus ancienne depuis ${duration(stats.oldest_wait_s)}) · `
    + `${stats.answered || 0} répondues · délai de réponse médian ${duration(stats.median_delay_s)}, maximal ${duration(stats.max_delay_s)}. `
    + "Ne demandez jamais de nom, d'e-mail ni de téléphone : la réponse s'affiche dans la conversation de l'élève.";
  $("advisor-pending").replaceChildren(...(data.pending.length ? data.pending.map(advisorItem)
    : [el("li", { class: "hint" }, "Aucune question en attente.")]));
  $("advisor-answered").replaceChildren(...data.answered.map(advisorItem));
}

function advisorItem(question) {
  const item = el("li", { class: "turn", "data-question": question.id },
    el("p", { class: "meta" }, el("time", {}, when(question.asked_at)), " · ",
      el("span", { class: "sender", title: question.sender }, `élève ${question.sender.slice(0, 8)}`)),
    el("p", { class: "said" }, question.question));
  if (question.answer !== null) {
    item.append(el("p", { class: "reply" }, question.answer),
      el("p", { class: "hint" }, `Répondu par ${question.answered_by} le ${when(question.answered_at)}`));
    return item;
  }
  const answer = el("textarea", { class: "advisor-answer", rows: "4", maxlength: "2000", "aria-label": "Votre réponse" });
  const result = el("p", { class: "result", role: "status" });
  const form = el("form", { class: "label-form", novalidate: true },
    el("label", {}, "Votre réponse à l'élève ", answer),
    el("button", { type: "submit" }, "Envoyer la réponse"),
    el("button", { type: "button", class: "quiet", onclick: () => openConversation(question.sender, null) }, "Conversation"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const sent = await api("/api/advisor/answer", { id: question.id, answer: answer.value });
      result.textContent = sent.pushed ? "Envoyée dans la conversation de l'élève (tout de suite si sa page est ouverte, sinon à son retour)."
        : "Enregistrée : l'élève la verra à son retour sur la page (le bot n'a pas pu la pousser).";
      form.remove();
      item.classList.add("done");
    } catch (error) {
      result.textContent = error.message;
    }
  });
  item.append(form, result);
  return item;
}
