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

function escapeHtml(s) {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function time(d) {
  return d.toTimeString().slice(0, 5);
}

function renderMessage(m) {
  return `<div class="message"><span class="message-author">${escapeHtml(m.author)}</span>` +
    `<span class="message-text">${escapeHtml(m.text)}</span>` +
    `<span class="message-time">${m.time}</span></div>`;
}

function remember(m) {
  history.push(m);
  if (history.length > HISTORY_LIMIT) history.shift();
}

remember({ author: "Starwire", text: "Welcome to the chat!", time: time(new Date()) });

async function joinChat(req, res) {
  let client;
  await ServerSentEventGenerator.stream(req, res, (stream) => {
    client = stream;
    stream.patchSignals(JSON.stringify({ isConnected: true }));
    stream.patchElements(history.map(renderMessage).join(""), { selector: "#messages", mode: "inner" });
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
  const author = String(read.signals.username ?? "").trim();
  const text = String(read.signals.messageText ?? "").trim();
  let error = "";
  if (text.length === 0) error = "Message is empty.";
  else if (text.length > MAX_TEXT) error = `Message is longer than ${MAX_TEXT} characters.`;
  else if (author.length === 0 || author.length > MAX_NAME) error = `Name must be 1 to ${MAX_NAME} characters.`;

  await ServerSentEventGenerator.stream(req, res, (stream) => {
    if (error) {
      stream.patchElements(`<div id="chat-error">${escapeHtml(error)}</div>`);
      return;
    }
    const m = { author, text, time: time(new Date()) };
    remember(m);
    const html = renderMessage(m);
    for (const client of clients) {
      client.patchElements(html, { selector: "#messages", mode: "append" });
    }
    stream.patchElements('<div id="chat-error"></div>');
    stream.patchSignals(JSON.stringify({ messageText: "" }));
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
