// Reference chat for Starwire's load benchmark: Node's http module and the official Datastar
// TypeScript SDK (@starfederation/datastar-sdk 1.0.0), written the way its README suggests.
// Same routes and the same bytes on the wire as the demo app's chat:
//   GET  /join-chat     patch-signals {"isConnected":true}, the history as #messages inner, then
//                       every new message as #messages append, on one SSE stream per client
//   POST /send-message  Datastar signals as JSON {username, messageText}; valid messages are rendered
//                       once and sent to every joined client; the sender's messageText is reset
// Usage: node server.js [PORT]   (listens on 127.0.0.1; PORT defaults to $PORT or 7071)
import http from "node:http";
import { ServerSentEventGenerator } from "@starfederation/datastar-sdk";

const port = Number(process.argv[2] ?? process.env.PORT ?? 7071);
const HISTORY_LIMIT = 100;
const MAX_TEXT = 500;
const MAX_NAME = 40;
const MAX_BODY = 64 * 1024;

const clients = new Set();
const history = [];
let lastId = 0;
// Event ids like the demo hub's in-memory topic: microseconds at start, then consecutive.
let nextEventId = Date.now() * 1000;

// The same escaping as jte applies to text content (&, <, >), so both apps send the same bytes.
function escapeHtml(s) {
  return s.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]);
}

function time(d) {
  return d.toTimeString().slice(0, 5);
}

function renderMessage(m) {
  return `<article class="message" id="message-${m.id}">\n` +
    `    <div class="message-author">${escapeHtml(m.author)}</div>\n` +
    `    <div class="message-text">${escapeHtml(m.text)}</div>\n` +
    `    <div class="message-time">${m.time}</div>\n` +
    `</article>`;
}

function renderError(text) {
  return `<p id="chat-error" class="chat-error" role="alert">${escapeHtml(text)}</p>`;
}

function remember(author, text) {
  const m = { id: ++lastId, author, text, time: time(new Date()) };
  history.push(m);
  if (history.length > HISTORY_LIMIT) history.shift();
  return m;
}

remember("Starwire", "Selamat datang! Pesan yang kamu kirim di sini sampai ke semua orang yang sedang tersambung.");

async function joinChat(req, res) {
  let client;
  await ServerSentEventGenerator.stream(req, res, (stream) => {
    client = stream;
    stream.patchSignals(JSON.stringify({ isConnected: true }));
    stream.patchElements(history.map((m) => renderMessage(m) + "\n").join(""), {
      selector: "#messages",
      mode: "inner",
    });
    clients.add(stream);
  }, {
    keepalive: true,
    onAbort: () => { clients.delete(client); },
  });
}

async function sendMessage(req, res) {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MAX_BODY) {
    res.writeHead(413, { "Content-Type": "text/plain" }).end("body too large");
    return;
  }
  const read = await ServerSentEventGenerator.readSignals(req);
  if (!read.success) {
    res.writeHead(400, { "Content-Type": "text/plain" }).end(read.error);
    return;
  }
  const author = String(read.signals.username ?? "").replace(/[\x00-\x1f\x7f]+/g, " ").trim();
  const text = String(read.signals.messageText ?? "").replace(/\r\n?/g, "\n").trim();
  let error = "";
  if (text.length === 0) error = "Pesannya masih kosong.";
  else if ([...text].length > MAX_TEXT) error = `Pesan terlalu panjang: paling banyak ${MAX_TEXT} karakter.`;
  else if (author.length === 0 || [...author].length > MAX_NAME) {
    error = `Nama harus berisi 1 sampai ${MAX_NAME} karakter.`;
  }

  if (error) {
    // 200: the Datastar client ignores the body of an error status
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(renderError(error));
    return;
  }
  await ServerSentEventGenerator.stream(req, res, (stream) => {
    const m = remember(author, text);
    const html = renderMessage(m);
    const eventId = String(nextEventId++);
    // the SDK frames the event for each client: this is its documented way to send to many streams
    for (const client of clients) {
      client.patchElements(html, { selector: "#messages", mode: "append", eventId });
    }
    stream.patchSignals(JSON.stringify({ messageText: "" }));
    stream.patchElements(renderError(""));
  });
}

const server = http.createServer((req, res) => {
  const path = req.url.split("?")[0];
  if (req.method === "GET" && path === "/join-chat") {
    joinChat(req, res).catch((e) => console.error(e));
  } else if (req.method === "POST" && path === "/send-message") {
    sendMessage(req, res).catch((e) => console.error(e));
  } else {
    res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
  }
});
server.keepAliveTimeout = 5000;
server.requestTimeout = 0; // SSE streams stay open
server.listen(port, "127.0.0.1", () => console.log(`reference chat on http://127.0.0.1:${port}`));
