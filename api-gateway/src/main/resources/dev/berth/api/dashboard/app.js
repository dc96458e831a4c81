// Berth's dashboard: plain JavaScript over the Engine API and Berth's WebSockets, no build step.
"use strict";

const wsBase = (location.protocol === "https:" ? "wss://" : "ws://") + location.host;
let selected = null;
let logSocket = null;
let statsTimer = null;
let nodeName = "";

function cell(text) {
  const td = document.createElement("td");
  td.textContent = text;
  return td;
}

async function api(method, path) {
  const response = await fetch(path, { method });
  if (!response.ok) {
    let message = response.statusText;
    try { message = (await response.json()).message; } catch (e) { /* not JSON */ }
    throw new Error(message);
  }
  return response.status === 204 ? null : response.json();
}

function ports(c) {
  return (c.Ports || []).map(p => (p.PublicPort ? `${p.IP || ""}:${p.PublicPort}->` : "") + `${p.PrivatePort}/${p.Type}`).join(", ");
}

async function loadContainers() {
  const list = await api("GET", "/containers/json?all=1");
  const body = document.querySelector("#containers tbody");
  body.replaceChildren(...list.map(c => {
    const name = (c.Names[0] || "").replace(/^\//, "");
    const row = document.createElement("tr");
    row.className = "container" + (selected && selected.id === c.Id ? " selected" : "");
    row.dataset.id = c.Id;
    row.dataset.name = name;
    const state = cell(c.State);
    state.className = "state state-" + c.State;
    row.append(cell(name), state, cell(c.Image), cell(ports(c)), cell(nodeName));
    const actions = document.createElement("td");
    for (const [label, method, path] of [["start", "POST", "start"], ["stop", "POST", "stop"],
        ["restart", "POST", "restart"], ["remove", "DELETE", ""]]) {
      const button = document.createElement("button");
      button.textContent = label;
      button.dataset.action = label;
      button.addEventListener("click", async event => {
        event.stopPropagation();
        try {
          await api(method, path ? `/containers/${c.Id}/${path}` : `/containers/${c.Id}?force=1`);
        } catch (e) {
          setStatus(`${label} ${name}: ${e.message}`);
        }
        loadContainers();
      });
      actions.append(button);
    }
    row.append(actions);
    row.addEventListener("click", () => select(c.Id, name));
    return row;
  }));
}

async function loadImages() {
  const list = await api("GET", "/images/json");
  document.querySelector("#images tbody").replaceChildren(...list.map(i => {
    const row = document.createElement("tr");
    row.append(cell((i.RepoTags || []).join(", ") || "<none>"), cell(i.Id.substring(7, 19)),
      cell((i.Size / 1048576).toFixed(1) + " MiB"));
    return row;
  }));
}

async function loadNetworks() {
  const list = await api("GET", "/networks");
  document.querySelector("#networks tbody").replaceChildren(...list.map(n => {
    const row = document.createElement("tr");
    row.append(cell(n.Name), cell(n.Driver), cell(n.Id.substring(0, 12)));
    return row;
  }));
}

async function loadVolumes() {
  const list = await api("GET", "/volumes");
  document.querySelector("#volumes tbody").replaceChildren(...(list.Volumes || []).map(v => {
    const row = document.createElement("tr");
    row.append(cell(v.Name), cell(v.Driver));
    return row;
  }));
}

function setStatus(text) {
  document.getElementById("status").textContent = text;
}

// The live log of the chosen container, one JSON message per line from the log WebSocket.
function select(id, name) {
  selected = { id, name };
  document.querySelectorAll("tr.container").forEach(r => r.classList.toggle("selected", r.dataset.id === id));
  document.getElementById("detail").hidden = false;
  document.getElementById("detail-name").textContent = name;
  const log = document.getElementById("log");
  log.replaceChildren();
  if (logSocket) {
    logSocket.onclose = null;
    logSocket.close();
  }
  const state = document.getElementById("log-state");
  state.textContent = "connecting";
  logSocket = new WebSocket(`${wsBase}/berth/containers/${id}/logs/ws?tail=200`);
  logSocket.onopen = () => { state.textContent = "live"; log.dataset.state = "open"; };
  logSocket.onclose = () => { state.textContent = "ended"; log.dataset.state = "closed"; };
  logSocket.onmessage = message => {
    const line = JSON.parse(message.data);
    const span = document.createElement("span");
    span.className = line.stream;
    span.textContent = line.line + (line.partial ? "" : "\n");
    const atEnd = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
    log.append(span);
    if (atEnd) {
      log.scrollTop = log.scrollHeight;
    }
  };
  clearInterval(statsTimer);
  showStats();
  statsTimer = setInterval(showStats, 2000);
}

// CPU and memory from the stats endpoint when the engine has it; said so when it has not.
let lastCpu = null;
async function showStats() {
  if (!selected) {
    return;
  }
  const text = document.getElementById("stats-text");
  try {
    const s = await api("GET", `/containers/${selected.id}/stats?stream=false`);
    const cpu = s.cpu_stats || {};
    const usage = (cpu.cpu_usage || {}).total_usage;
    let percent = "";
    if (lastCpu && usage !== undefined && cpu.system_cpu_usage) {
      const system = cpu.system_cpu_usage - lastCpu.system;
      percent = system > 0 ? ((usage - lastCpu.usage) / system * (cpu.online_cpus || 1) * 100).toFixed(1) + "% CPU, " : "";
    }
    lastCpu = { usage, system: cpu.system_cpu_usage };
    const memory = s.memory_stats || {};
    text.textContent = percent + ((memory.usage || 0) / 1048576).toFixed(1) + " MiB memory";
  } catch (e) {
    text.textContent = "not available (" + e.message + ")";
    clearInterval(statsTimer);
  }
}

// The event feed; container events also refresh the list.
function followEvents() {
  const events = document.getElementById("events");
  const socket = new WebSocket(`${wsBase}/berth/events/ws`);
  socket.onmessage = message => {
    const e = JSON.parse(message.data);
    const item = document.createElement("li");
    const when = new Date(e.timeNano / 1e6).toISOString();
    const name = (e.Actor.Attributes || {}).name || e.Actor.ID.substring(0, 12);
    item.textContent = `${when} ${e.Type} ${e.Action} ${name}`;
    events.prepend(item);
    while (events.children.length > 200) {
      events.lastChild.remove();
    }
    if (e.Type === "container") {
      loadContainers();
    } else if (e.Type === "image") {
      loadImages();
    } else if (e.Type === "network") {
      loadNetworks();
    }
  };
  socket.onclose = () => setTimeout(followEvents, 2000);
}

async function start() {
  try {
    const info = await api("GET", "/info");
    nodeName = info.Name;
    document.getElementById("node").textContent = `node ${info.Name} · ${info.ServerVersion}`;
  } catch (e) {
    setStatus(e.message);
  }
  await Promise.all([loadContainers(), loadImages(), loadNetworks(), loadVolumes()].map(p => p.catch(e => setStatus(e.message))));
  document.body.dataset.loaded = "true";
  followEvents();
}

start();
