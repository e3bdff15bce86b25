/* The students' chat page: talks to Rasa's socket.io channel and keeps the conversation in localStorage.
 *
 * Protocol (Rasa SocketIOInput, session_persistence: true): on connect, emit "session_request"
 * {session_id}; the server answers "session_confirm"; then emit "user_uttered" {message, session_id}
 * and receive "bot_uttered" events ({text, quick_replies | buttons}).
 * Bot and user texts are always inserted with textContent / createElement, never as HTML.
 */
(function () {
  "use strict";

  var config = Object.assign(
    { socketUrl: "http://127.0.0.1:5005", maxChars: 1500, retentionDays: 30 },
    window.BOT_CONFIG || {}
  );
  var STORAGE_KEY = "orientation-chat:v1";
  var REPLY_TIMEOUT_MS = 15000;
  var MAX_STORED_MESSAGES = 200;
  // The jobs come from the knowledge base (config.js): adding a job changes the page without code.
  var JOBS = Array.isArray(config.jobs) ? config.jobs : [];
  var WELCOME =
    "Salut ! Pose-moi tes questions sur " +
    (config.jobsText ? (config.jobsCount || "") + " métiers : " + config.jobsText : "les métiers de mes fiches") +
    ". Tu peux aussi choisir une suggestion ci-dessous.";
  function lowerFirst(text) {
    return text.charAt(0).toLowerCase() + text.slice(1);
  }
  var STARTERS = JOBS.slice(0, 2)
    .map(function (job, index) {
      var intent = index === 0 ? "ask_definition" : "ask_missions";
      var title = (index === 0 ? "C'est quoi le métier de " : "Les missions du ") + lowerFirst(job.name);
      return { title: title, payload: "/" + intent + JSON.stringify({ job: job.id }) };
    })
    .concat(JOBS.length > 1 ? [{ title: "Compare les métiers", payload: "/compare_jobs" }] : []);
  function showJobs() {
    var list = document.getElementById("jobs-list");
    var count = document.getElementById("jobs-count");
    // launch/web_server.py serves the list already filled (nothing moves); another server serves it empty
    if (!list || !JOBS.length || list.children.length) return;
    JOBS.forEach(function (job) {
      var item = document.createElement("li");
      var name = document.createElement("strong");
      name.textContent = job.name;
      item.appendChild(name);
      list.appendChild(item);
    });
    if (count && config.jobsCount) count.textContent = config.jobsCount;
    document.title = "Orientation : " + config.jobsText;
  }
  showJobs();
  var TEXT = {
    typing: "Le bot écrit…",
    // Each notice names its cause (the page reconnects by itself and sends what was typed meanwhile). The bot's
    // own failure to read the job sheets is its apology (domain.yml utter_action_failed), sent as its answer.
    offline: "Tu n'as plus de connexion à internet. Dès qu'elle revient, je me reconnecte et j'envoie ce que tu as écrit.",
    serverLost: "La connexion avec le serveur du bot est coupée. Reconnexion en cours… ce que tu écris partira dès qu'elle revient.",
    unreachable: "Le serveur du bot est injoignable pour le moment. Nouvelle tentative automatique…",
    timeout: "Le bot ne répond pas : son serveur est peut-être surchargé. Réessaie dans un instant.",
    timeoutOffline: "Pas de réponse : tu n'as plus de connexion à internet. Ton message partira dès qu'elle revient.",
    timeoutUnreachable: "Pas de réponse : le serveur du bot est injoignable. Ton message partira dès qu'il répond à nouveau.",
    reconnected: "Reconnecté : tu peux continuer.",
    noLibrary: "La discussion ne peut pas démarrer : recharge la page ou réessaie plus tard.",
    you: "Toi : ",
    bot: "Le bot : ",
    rateUp: "Réponse utile",
    rateDown: "Réponse pas utile",
    rateWhy: "Pourquoi ?",
    rated: "Merci pour ton avis !",
    rateFailed: "Ton avis n'a pas pu être enregistré : réessaie plus tard.",
  };
  // Reasons offered after 👎 (bot/feedback.py's codes)
  var REASONS = [
    ["off_topic", "Pas la réponse à ma question"], ["incomplete", "Incomplet"], ["wrong", "Faux"],
  ];

  var els = {
    log: document.getElementById("messages"),
    typing: document.getElementById("typing"),
    suggestions: document.getElementById("suggestions"),
    form: document.getElementById("composer"),
    input: document.getElementById("message-input"),
    charCount: document.getElementById("char-count"),
    status: document.getElementById("connection-status"),
    newConversation: document.getElementById("new-conversation"),
    retention: document.getElementById("retention-days"),
  };

  var state = loadState() || freshState();
  var socket = null;
  var sessionReady = false; // session_confirm received on the current connection
  var pending = []; // messages typed while the session was not ready
  var awaitingReply = false;
  var replyTimer = null;
  var replyStart = null; // first bot message of the current reply (for scrolling)
  var currentReply = null; // {text, at, message, element}: the reply being received, for its 👍 / 👎
  var REPLY_PARTS_MS = 3000; // messages of one reply arrive within this delay of each other
  var focusReply = false; // a suggestion was chosen: its reply takes the focus (the button is gone)
  var everConnected = false;
  var lostConnection = false;
  var restarting = false;
  var statusTimer = null;

  // ---------------------------------------------------------------------------------------- state
  function newSessionId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return b.toString(16).padStart(2, "0");
      })
      .join("");
  }

  function freshState() {
    return {
      sessionId: newSessionId(),
      messages: [{ role: "bot", text: WELCOME }],
      suggestions: STARTERS.slice(),
      advisorSeen: [], // ids of the advisors' answers already shown (the server replays them on reconnection)
    };
  }

  function isSuggestion(item) {
    return item && typeof item.title === "string" && typeof item.payload === "string" && item.title.trim();
  }

  function loadState() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "null");
      if (!saved || typeof saved.sessionId !== "string" || !/^[A-Za-z0-9_-]{8,64}$/.test(saved.sessionId)) {
        return null;
      }
      var messages = Array.isArray(saved.messages) ? saved.messages : [];
      return {
        sessionId: saved.sessionId,
        messages: messages.filter(function (m) {
          return m && (m.role === "user" || m.role === "bot") && typeof m.text === "string";
        }),
        suggestions: Array.isArray(saved.suggestions) ? saved.suggestions.filter(isSuggestion) : [],
        advisorSeen: Array.isArray(saved.advisorSeen) ? saved.advisorSeen.filter(Number.isInteger) : [],
      };
    } catch (error) {
      return null; // storage unavailable or corrupted: start afresh
    }
  }

  function saveState() {
    state.messages = state.messages.slice(-MAX_STORED_MESSAGES);
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    } catch (error) {
      /* private mode or full storage: the conversation just won't survive a reload */
    }
  }

  // -------------------------------------------------------------------------------------- render
  var URL_PATTERN = /https?:\/\/[^\s<>"']+/g;

  /** Appends `text` to `parent` as text nodes, with http(s) links as <a> elements (never HTML). */
  function appendText(parent, text) {
    var last = 0;
    text.replace(URL_PATTERN, function (match, offset) {
      var url = match.replace(/[.,;:!?)»]+$/, "");
      parent.appendChild(document.createTextNode(text.slice(last, offset)));
      var link = document.createElement("a");
      link.href = url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      link.textContent = url;
      parent.appendChild(link);
      last = offset + url.length;
      return match;
    });
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  /** A list item line: "- " (the bot's Markdown lists, knowledge/render.py) or the former "• ". */
  var LIST_ITEM = /^(?:- |• )/;

  /** Lines as one <ul> (items) or one <p> (its single newlines kept by CSS). Text only, never HTML. */
  function blockElement(lines, isList) {
    var element = document.createElement(isList ? "ul" : "p");
    if (!isList) {
      appendText(element, lines.join("\n"));
      return element;
    }
    lines.forEach(function (line) {
      var entry = document.createElement("li");
      appendText(entry, line.replace(LIST_ITEM, ""));
      element.appendChild(entry);
    });
    return element;
  }

  /** Appends `text` as paragraphs and lists: a blank line separates blocks, and consecutive list item lines make
   * one list (as Markdown renders it: a student sees the same answer here and in rasa-webchat). */
  function appendBlocks(parent, text) {
    text.split(/\n[ \t]*\n/).forEach(function (block) {
      var run = [];
      var runIsList = false;
      block.split("\n").forEach(function (line) {
        var isList = LIST_ITEM.test(line);
        if (run.length && isList !== runIsList) {
          parent.appendChild(blockElement(run, runIsList));
          run = [];
        }
        runIsList = isList;
        run.push(line);
      });
      if (run.join("").trim()) {
        parent.appendChild(blockElement(run, runIsList));
      }
    });
  }

  function renderMessage(message) {
    var item = document.createElement("div");
    item.className = "message message-" + message.role + (message.advisor ? " message-advisor" : "");
    var who = document.createElement("span");
    who.className = "sr-only";
    who.textContent = message.role === "user" ? TEXT.you : message.role === "bot" ? TEXT.bot : "";
    item.appendChild(who);
    appendBlocks(item, message.text);
    if (message.rateable) {
      item.appendChild(ratingBar(message));
    }
    els.log.appendChild(item);
    return item;
  }

  // ------------------------------------------------------------------------------- 👍 / 👎 on an answer
  function ratingButton(label, text, onClick) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "rate";
    button.textContent = text;
    button.setAttribute("aria-label", label);
    button.addEventListener("click", onClick);
    return button;
  }

  function ratingBar(message) {
    var bar = document.createElement("span");
    bar.className = "rating";
    if (message.rated) {
      bar.textContent = TEXT.rated;
      return bar;
    }
    bar.appendChild(ratingButton(TEXT.rateUp, "👍", function () {
      sendRating(message, "up", null, bar);
    }));
    bar.appendChild(ratingButton(TEXT.rateDown, "👎", function () {
      bar.replaceChildren(document.createTextNode(TEXT.rateWhy + " "));
      REASONS.forEach(function (reason) {
        bar.appendChild(ratingButton(reason[1], reason[1], function () {
          sendRating(message, "down", reason[0], bar);
        }));
      });
      bar.querySelector("button").focus();
    }));
    return bar;
  }

  function sendRating(message, rating, reason, bar) {
    if (!socket || !socket.connected || !sessionReady) {
      setStatus(TEXT.rateFailed);
      return;
    }
    socket.emit("feedback", {
      session_id: state.sessionId, rating: rating, reason: reason, answer: message.rateText || message.text,
    });
    message.rated = rating;
    saveState();
    bar.replaceChildren(document.createTextNode(TEXT.rated));
  }

  /** Focus on a message (read out by screen readers) without scrolling past the start of the reply. */
  function focusMessage(item) {
    item.tabIndex = -1;
    item.focus({ preventScroll: true });
  }

  function scrollToBottom() {
    els.log.scrollTop = els.log.scrollHeight;
  }

  /** Shows a long reply from its start; a short one entirely. */
  function scrollToReply() {
    if (replyStart && els.log.scrollHeight - replyStart.offsetTop > els.log.clientHeight) {
      els.log.scrollTop = replyStart.offsetTop - 8;
    } else {
      scrollToBottom();
    }
  }

  function addMessage(role, text, advisor, rateable, rateText) {
    var message = { role: role, text: text };
    if (advisor) {
      message.advisor = true;
    }
    if (rateable) {
      message.rateable = true;
      message.rateText = rateText || text;
    }
    state.messages.push(message);
    saveState();
    return renderMessage(message);
  }

  function addNotice(text) {
    // Errors are shown, not stored: they make no sense after a reload.
    var item = renderMessage({ role: "error", text: text });
    scrollToBottom();
    return item;
  }

  function renderSuggestions() {
    els.suggestions.replaceChildren();
    state.suggestions.forEach(function (suggestion) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "suggestion";
      button.textContent = suggestion.title;
      button.addEventListener("click", function () {
        send(suggestion.payload, suggestion.title);
        // the clicked button is gone with the old suggestions: the conversation holds the focus until the reply
        // comes, then its first message does (focusMessage); typing a question keeps the focus in the field
        focusReply = true;
        els.log.focus({ preventScroll: true });
      });
      els.suggestions.appendChild(button);
    });
  }

  function setSuggestions(list) {
    state.suggestions = list.filter(isSuggestion).map(function (s) {
      return { title: s.title.trim(), payload: s.payload };
    });
    saveState();
    renderSuggestions();
  }

  function renderAll() {
    els.log.replaceChildren();
    state.messages.forEach(renderMessage);
    renderSuggestions();
    scrollToBottom();
  }

  function setStatus(text, ok) {
    window.clearTimeout(statusTimer);
    els.status.textContent = text;
    els.status.classList.toggle("is-ok", Boolean(ok));
    if (ok) {
      statusTimer = window.setTimeout(function () {
        els.status.textContent = "";
      }, 4000);
    }
  }

  /** Why the bot cannot be reached: the student's internet, or the bot's server (lost, or never reached). */
  function connectionNotice() {
    if (navigator.onLine === false) return TEXT.offline;
    return everConnected ? TEXT.serverLost : TEXT.unreachable;
  }

  /** Why no answer came in time: no internet, the server out of reach, or connected but the bot too slow. */
  function timeoutNotice() {
    if (navigator.onLine === false) return TEXT.timeoutOffline;
    return socket && socket.connected && sessionReady ? TEXT.timeout : TEXT.timeoutUnreachable;
  }

  // ------------------------------------------------------------------------------ typing + timeout
  function startWaiting() {
    awaitingReply = true;
    replyStart = null;
    els.typing.textContent = TEXT.typing;
    els.typing.classList.add("is-active");
    window.clearTimeout(replyTimer);
    replyTimer = window.setTimeout(function () {
      if (awaitingReply) {
        stopWaiting();
        var notice = addNotice(timeoutNotice());
        if (focusReply) {
          focusReply = false;
          focusMessage(notice);
        }
      }
    }, REPLY_TIMEOUT_MS);
  }

  function stopWaiting() {
    awaitingReply = false;
    window.clearTimeout(replyTimer);
    els.typing.textContent = "";
    els.typing.classList.remove("is-active");
  }

  // --------------------------------------------------------------------------------------- socket
  function emitMessage(text) {
    socket.emit("user_uttered", { message: text, session_id: state.sessionId });
  }

  function flushPending() {
    while (pending.length && sessionReady && socket && socket.connected) {
      emitMessage(pending.shift());
    }
  }

  /** The connection state, on <html data-chat="..."> (for styling and tests). */
  function markConnection(value) {
    document.documentElement.setAttribute("data-chat", value);
  }

  function requestSession() {
    sessionReady = false;
    socket.emit("session_request", { session_id: state.sessionId });
  }

  function onBotUttered(data) {
    if (!data || typeof data !== "object") {
      return;
    }
    // An advisor's answer: pushed live (the text, then {advisor_answer: id} alone), or replayed on reconnection
    // ({text, advisor_answer: id}; shown once)
    if (Number.isInteger(data.advisor_answer)) {
      var id = data.advisor_answer;
      var pushed = typeof data.text !== "string";
      var seenBefore = state.advisorSeen.indexOf(id) >= 0;
      if (!seenBefore) {
        state.advisorSeen.push(id);
      }
      if (pushed) { // the text just shown was that answer
        var last = state.messages[state.messages.length - 1];
        if (last && last.role === "bot") {
          last.advisor = true;
          var shown = els.log.lastElementChild;
          if (shown) {
            shown.classList.add("message-advisor");
          }
        }
        saveState();
        return;
      }
      if (seenBefore) {
        return;
      }
      addMessage("bot", data.text || "", true);
      scrollToBottom();
      return;
    }
    var first = awaitingReply; // the first message of the reply to what the student just sent
    if (awaitingReply) {
      stopWaiting();
    }
    if (typeof data.text === "string" && data.text.trim()) {
      // One 👍 / 👎 per reply, under its last message; it rates the reply's first message (the answer itself)
      var continuing = !first && currentReply && Date.now() - currentReply.at < REPLY_PARTS_MS;
      if (continuing && currentReply.message) {
        currentReply.message.rateable = false;
        var oldBar = currentReply.element && currentReply.element.querySelector(".rating");
        if (oldBar) {
          oldBar.remove();
        }
      } else {
        currentReply = { text: data.text };
      }
      currentReply.at = Date.now();
      var item = addMessage("bot", data.text, false, !data.error, currentReply.text);
      currentReply.message = state.messages[state.messages.length - 1];
      currentReply.element = item;
      if (!replyStart) {
        replyStart = item;
      }
      scrollToReply();
      if (focusReply && first) {
        focusReply = false;
        focusMessage(item);
      }
    }
    var buttons = Array.isArray(data.quick_replies) && data.quick_replies.length
      ? data.quick_replies
      : Array.isArray(data.buttons) ? data.buttons : [];
    if (buttons.length) {
      setSuggestions(buttons);
    }
  }

  function connect() {
    markConnection("connecting");
    if (typeof window.io !== "function") {
      setStatus(TEXT.noLibrary);
      return;
    }
    socket = window.io(config.socketUrl, {
      path: "/socket.io",
      // WebSocket only: no CORS preflight/headers involved (HTTP long-polling would need the Rasa server to
      // send exactly one Access-Control-Allow-Origin header), and one connection instead of many requests.
      transports: ["websocket"],
      reconnectionDelay: 1000,
      reconnectionDelayMax: 5000,
      timeout: 10000,
    });
    socket.on("connect", function () {
      requestSession();
      if (lostConnection && !restarting) {
        setStatus(TEXT.reconnected, true);
      } else if (!restarting) {
        setStatus("");
      }
      everConnected = true;
      lostConnection = false;
      restarting = false;
    });
    socket.on("session_confirm", function (sessionId) {
      var confirmed = typeof sessionId === "string" ? sessionId : sessionId && sessionId.session_id;
      if (confirmed && confirmed !== state.sessionId) {
        return; // a late answer to a session we left ("Nouvelle conversation")
      }
      sessionReady = true;
      markConnection("ready");
      flushPending();
    });
    socket.on("bot_uttered", onBotUttered);
    socket.on("feedback_refused", function () {
      setStatus(TEXT.rateFailed);
    });
    socket.on("disconnect", function (reason) {
      sessionReady = false;
      if (reason === "io server disconnect" && !restarting) {
        socket.connect(); // the server closed the socket (e.g. it is stopping): socket.io would not retry
      }
      markConnection("offline");
      if (!restarting) {
        lostConnection = true;
        setStatus(connectionNotice());
      }
    });
    socket.on("connect_error", function () {
      sessionReady = false;
      markConnection("offline");
      setStatus(connectionNotice());
    });
  }

  // ---------------------------------------------------------------------------------- user input
  function send(payload, shown) {
    focusReply = false;
    var text = String(payload || "").trim();
    if (!text) {
      return;
    }
    if (text.length > config.maxChars) {
      text = text.slice(0, config.maxChars);
    }
    addMessage("user", shown || text);
    setSuggestions([]);
    startWaiting();
    scrollToBottom();
    if (socket && socket.connected && sessionReady) {
      emitMessage(text);
    } else {
      pending.push(text);
    }
  }

  function updateCharCount() {
    var length = els.input.value.length;
    var near = length >= config.maxChars - 50;
    els.charCount.textContent = near ? length + " / " + config.maxChars + " caractères" : "";
    els.charCount.classList.toggle("is-limit", length >= config.maxChars);
  }

  function newConversation() {
    stopWaiting();
    pending = [];
    state = freshState();
    saveState();
    renderAll();
    setStatus("");
    if (socket) {
      // A new connection leaves the old session's room, so nothing from it can arrive here.
      restarting = true;
      socket.disconnect();
      socket.connect();
    }
    els.input.value = "";
    updateCharCount();
    els.input.focus();
  }

  // ----------------------------------------------------------------------------------------- start
  els.input.maxLength = config.maxChars;
  els.retention.textContent = String(config.retentionDays);
  els.form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = els.input.value;
    if (!text.trim()) {
      els.input.focus();
      return;
    }
    els.input.value = "";
    updateCharCount();
    send(text);
    els.input.focus();
  });
  els.input.addEventListener("input", updateCharCount);
  els.newConversation.addEventListener("click", newConversation);

  saveState();
  renderAll();
  connect();
})();
