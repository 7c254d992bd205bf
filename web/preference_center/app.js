// Preference-center page. No framework and no HTML strings: every value from the API or the config is put
// into the DOM with textContent/attributes, so stored text can never become markup (works under a strict CSP).
"use strict";

(function () {
  const params = new URLSearchParams(window.location.search);
  // Links carry their token in the fragment (#token= to manage, #confirm= to confirm an address): browsers
  // never send a fragment to a server, so tokens stay out of CloudFront and API logs. ?token= still works
  // for links made before, and is removed from the address bar at once.
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const centerId = params.get("pc") || "default";
  const token = fragment.get("token") || params.get("token") || "";
  const confirmToken = fragment.get("confirm") || "";
  if (params.has("token")) {
    params.delete("token");
    window.history.replaceState(null, "", "?" + params.toString() + (token ? "#token=" + token : ""));
  }
  const api = "/api/centers/" + encodeURIComponent(centerId);
  const $ = (id) => document.getElementById(id);
  let config = null;
  let text = null;
  let version = 0;
  let userToken = token;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === false || value === null || value === undefined) continue;
      if (key === "text") node.textContent = value;
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  function label(key) {
    return (text.labels && text.labels[key]) || key;
  }

  function pickLanguage(languages, fallback) {
    const wanted = [params.get("lang"), ...(navigator.languages || [navigator.language])].filter(Boolean);
    for (const candidate of wanted) {
      if (languages.includes(candidate)) return candidate;
      const base = candidate.split("-")[0];
      if (languages.includes(base)) return base;
    }
    return fallback;
  }

  async function call(method, path, body, bearer) {
    const headers = { Accept: "application/json" };
    if (bearer || userToken) headers.Authorization = "Bearer " + (bearer || userToken);
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(api + path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin", cache: "no-store",
    });
    let data = {};
    try { data = await response.json(); } catch (e) { data = {}; }
    return { status: response.status, data };
  }

  function say(message, kind) {
    const status = $("status");
    status.className = "status " + (kind || "");
    status.textContent = message;
  }

  function showError(messageKey) {
    $("form").hidden = true;
    $("error-view").hidden = false;
    $("error-title").textContent = text ? text.messages[messageKey] : "This link is not valid.";
    say("", "");
  }

  function applyTexts() {
    document.documentElement.lang = config.language;
    document.title = text.page_title;
    $("title").textContent = text.header;
    $("description").textContent = text.description;
    $("contact-legend").textContent = text.sections.contact;
    $("profile-legend").textContent = text.sections.profile;
    $("subscriptions-title").textContent = text.sections.subscriptions;
    $("submit").textContent = text.buttons.submit;
    $("reload").textContent = text.buttons.reload;
    $("unsubscribe-all-label").textContent = text.messages.unsubscribe_all;
    if (config.logo_url) {
      $("logo").src = config.logo_url;
      $("logo").alt = text.header;
      if (config.website_url) $("logo-link").href = config.website_url;
      $("logo-link").hidden = false;
    }
  }

  function errorSlot(field) {
    return el("span", { class: "field-error", id: "err-" + field, "data-field": field });
  }

  function renderContact() {
    const box = $("contact");
    for (const channel of config.channels) {
      const id = "address-" + channel.id;
      const field = "addresses." + channel.id;
      box.append(el("div", { class: "field" },
        el("label", { for: id, text: label("channel." + channel.id) + (channel.required ? " *" : "") }),
        el("input", {
          id, name: field, type: channel.id === "EMAIL" ? "email" : "tel", required: channel.required,
          autocomplete: channel.id === "EMAIL" ? "email" : "tel", inputmode: channel.id === "EMAIL" ? "email" : "tel",
          "aria-describedby": "err-" + field, maxlength: 254,
        }),
        errorSlot(field)));
    }
  }

  function renderAttribute(attribute) {
    const id = "attr-" + attribute.id;
    const field = "attributes." + attribute.id;
    const title = label("attribute." + attribute.id) + (attribute.required ? " *" : "");
    const options = (attribute.validation && attribute.validation.options) || [];
    if (attribute.input_type === "text") {
      const rules = attribute.validation || {};
      return el("div", { class: "field" }, el("label", { for: id, text: title }),
        el("input", { id, name: field, type: "text", required: attribute.required, maxlength: rules.max_length || 500,
          "aria-describedby": "err-" + field }), errorSlot(field));
    }
    if (attribute.input_type === "select") {
      const select = el("select", { id, name: field, required: attribute.required, "aria-describedby": "err-" + field },
        el("option", { value: "", text: "—" }));
      for (const option of options) {
        select.append(el("option", { value: option, text: label("option." + attribute.id + "." + option) }));
      }
      return el("div", { class: "field" }, el("label", { for: id, text: title }), select, errorSlot(field));
    }
    const type = attribute.input_type === "radio" ? "radio" : "checkbox";
    const group = el("fieldset", { class: "field choice", "aria-describedby": "err-" + field },
      el("legend", { text: title }));
    for (const option of options) {
      const optionId = id + "-" + option;
      group.append(el("div", { class: "choice-row" },
        el("input", { type, id: optionId, name: field, value: option }),
        el("label", { for: optionId, text: label("option." + attribute.id + "." + option) })));
    }
    group.append(errorSlot(field));
    return group;
  }

  function renderSubscriptions() {
    const box = $("categories");
    for (const category of config.categories) {
      const set = el("fieldset", { class: "category" }, el("legend", { text: label("category." + category.id) }));
      for (const publication of category.publications) {
        const field = "subscriptions." + publication.id;
        const name = label("publication." + publication.id);
        const description = text.labels["publication." + publication.id + ".description"];
        const row = el("div", { class: "publication" },
          el("div", { class: "publication-name" }, el("strong", { text: name }),
            description ? el("span", { class: "publication-description", text: description }) : null));
        const boxes = el("div", { class: "publication-channels" });
        for (const channel of publication.channels) {
          const id = "sub-" + publication.id + "-" + channel;
          boxes.append(el("div", { class: "choice-row" },
            el("input", { type: "checkbox", id, "data-publication": publication.id, "data-channel": channel,
              "aria-describedby": "err-" + field }),
            el("label", { for: id }, el("span", { class: "visually-hidden", text: name + ": " }),
              document.createTextNode(text.channel_names[channel] || channel))));
        }
        row.append(boxes, errorSlot(field));
        set.append(row);
      }
      box.append(set);
    }
    if (config.unsubscribe_all.enabled) {
      $("unsubscribe-all-row").hidden = false;
      $("unsubscribe-all").addEventListener("change", syncUnsubscribeAll);
    }
  }

  function syncUnsubscribeAll() {
    const all = $("unsubscribe-all").checked;
    for (const input of document.querySelectorAll("input[data-publication]")) {
      if (all) input.checked = false;
      input.disabled = all;
    }
  }

  function fill(prefs) {
    version = prefs.version || 0;
    for (const channel of config.channels) {
      // A pending address is the user's latest choice: show it (and say it waits for confirmation).
      const pending = (prefs.pending || {})[channel.id];
      $("address-" + channel.id).value = pending || (prefs.addresses || {})[channel.id] || "";
      $("err-addresses." + channel.id).textContent = pending ? text.messages.pending_address : "";
    }
    for (const attribute of config.attributes) {
      const value = (prefs.attributes || {})[attribute.id];
      const inputs = document.getElementsByName("attributes." + attribute.id);
      for (const input of inputs) {
        if (input.type === "radio" || input.type === "checkbox") {
          input.checked = Array.isArray(value) ? value.includes(input.value) : value === input.value;
        } else {
          input.value = value || "";
        }
      }
    }
    for (const input of document.querySelectorAll("input[data-publication]")) {
      const channels = (prefs.subscriptions || {})[input.dataset.publication] || [];
      input.checked = channels.includes(input.dataset.channel);
    }
    if (config.unsubscribe_all.enabled) {
      $("unsubscribe-all").checked = Boolean(prefs.unsubscribed_all);
      syncUnsubscribeAll();
    }
  }

  function collect() {
    const addresses = {};
    for (const channel of config.channels) addresses[channel.id] = $("address-" + channel.id).value.trim() || null;
    const attributes = {};
    for (const attribute of config.attributes) {
      const inputs = Array.from(document.getElementsByName("attributes." + attribute.id));
      if (attribute.input_type === "checkbox") attributes[attribute.id] = inputs.filter((i) => i.checked).map((i) => i.value);
      else if (attribute.input_type === "radio") attributes[attribute.id] = (inputs.find((i) => i.checked) || {}).value || "";
      else attributes[attribute.id] = inputs[0].value;
    }
    const subscriptions = {};
    for (const input of document.querySelectorAll("input[data-publication]:checked")) {
      (subscriptions[input.dataset.publication] = subscriptions[input.dataset.publication] || []).push(input.dataset.channel);
    }
    const unsubscribedAll = config.unsubscribe_all.enabled && $("unsubscribe-all").checked;
    return { addresses, attributes, subscriptions, unsubscribed_all: unsubscribedAll, language: config.language };
  }

  function clearFieldErrors() {
    for (const slot of document.querySelectorAll(".field-error")) slot.textContent = "";
    for (const input of document.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  }

  function showFieldErrors(fields) {
    let first = null;
    for (const [field, detail] of Object.entries(fields || {})) {
      const slot = document.querySelector('.field-error[data-field="' + CSS.escape(field) + '"]');
      const message = text.validation[detail.code] || text.messages.error;
      if (slot) slot.textContent = message;
      const input = document.querySelector('[name="' + CSS.escape(field) + '"]') ||
        document.querySelector('[aria-describedby="err-' + CSS.escape(field) + '"]');
      if (input) { input.setAttribute("aria-invalid", "true"); first = first || input; }
    }
    if (first && first.focus) first.focus();
  }

  async function submit(event) {
    event.preventDefault();
    clearFieldErrors();
    $("submit").disabled = true;
    const body = collect();
    try {
      const result = userToken
        ? await call("PUT", "/preferences", { version, ...body })
        : await call("POST", "/optin", { addresses: body.addresses, attributes: body.attributes,
          subscriptions: body.subscriptions, language: body.language });
      if (result.status === 200) {
        fill(result.data);
        say(text.messages.success, "success");
      } else if (result.status === 202) {
        // Double opt-in: nothing is stored for real until the owner of each address confirms it.
        $("form").hidden = true;
        say(text.messages.optin_pending, "success");
      } else if (result.status === 409) {
        say(text.messages.conflict, "error");
        $("reload").hidden = false;
      } else if (result.status === 400) {
        say(text.messages.error, "error");
        showFieldErrors(result.data.fields);
      } else if (result.status === 401 || result.status === 403) {
        showError(result.data.error === "token_expired" ? "expired_link" : "invalid_link");
      } else {
        say(text.messages.error, "error");
      }
    } catch (e) {
      say(text.messages.error, "error");
    } finally {
      $("submit").disabled = false;
    }
  }

  async function confirmAddress() {
    const result = await call("POST", "/optin", {}, confirmToken);
    if (result.status !== 200) {
      showError(result.status === 401 ? "expired_link" : "invalid_link");
      return false;
    }
    if (result.data.token) {
      userToken = result.data.token;
      window.history.replaceState(null, "", "?" + params.toString() + "#token=" + userToken);
      fill(result.data.preferences);
    } else {
      window.history.replaceState(null, "", "?" + params.toString());
      $("form").hidden = true;  // an address change confirmed: the manage link stays with the user
    }
    say(text.messages.confirmed, "success");
    return Boolean(result.data.token);
  }

  async function loadPreferences() {
    if (confirmToken) return confirmAddress();
    if (!userToken) { fill({}); return true; }  // opt-in: a blank form asks for a new subscription
    const result = await call("GET", "/preferences");
    if (result.status === 200) { fill(result.data); return true; }
    showError(result.status === 401 && result.data.error === "token_expired" ? "expired_link" : "invalid_link");
    return false;
  }

  async function start() {
    const all = await call("GET", "/config");
    if (all.status !== 200) { showError("invalid_link"); return; }
    const language = pickLanguage(all.data.languages, all.data.default_language);
    config = { ...all.data, language };
    text = all.data.text[language];
    applyTexts();
    say(text.messages.loading, "");
    renderContact();
    for (const attribute of config.attributes) $("profile").append(renderAttribute(attribute));
    if (!config.attributes.length) $("profile").hidden = true;
    renderSubscriptions();
    if (await loadPreferences()) {
      $("form").hidden = false;
      if (!confirmToken) say("", "");
    }
    $("form").addEventListener("submit", submit);
    $("reload").addEventListener("click", () => window.location.reload());
  }

  document.addEventListener("DOMContentLoaded", () => {
    start().catch(() => showError("invalid_link"));
  });
})();
