/* Print deck (/udskriv/) and workshop plan (/udskriv/plan/).
 *
 * The deck page lists every card; filter.js hides the ones the URL's filter leaves out. This script
 * adds the paper choice (one A5 card per page, or two A5 cards per A4 sheet with cut marks) and the
 * workshop plan, whose state lives in the URL (?plan=slug:minutes,_pause:15,...&noter=...&titel=...&start=09:00).
 * On a card page it makes the "Udskriv kortet" button work (the style sheet hides it without scripting).
 * It writes text and attributes only, never HTML. The pages that use it embed it, and Material's
 * instant navigation runs it again on each of them.
 */
(function () {
  "use strict";

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function setParam(name, value, push) {
    var params = new URLSearchParams(location.search);
    if (value) params.set(name, value); else params.delete(name);
    var query = params.toString();
    var url = location.pathname + (query ? "?" + query : "") + location.hash;
    if (url === location.pathname + location.search + location.hash) return;
    if (push) history.pushState({ vkPrint: true }, "", url);
    else history.replaceState({ vkPrint: true }, "", url);
  }

  /** Put the shown cards two by two on A4 sheets with cut marks, or take them off again. */
  function layout(deck, format) {
    Array.prototype.slice.call(deck.querySelectorAll(".vk-sheet")).forEach(function (sheet) {
      Array.prototype.slice.call(sheet.querySelectorAll(".vk-deck-card")).forEach(function (card) {
        deck.insertBefore(card, sheet);
      });
      sheet.parentNode.removeChild(sheet);
    });
    deck.classList.toggle("vk-a4", format === "a4");
    if (format !== "a4") return;
    var shown = Array.prototype.slice.call(deck.querySelectorAll(".vk-deck-card")).filter(function (c) {
      return !c.hidden;
    });
    for (var i = 0; i < shown.length; i += 2) {
      var sheet = el("div", "vk-sheet");
      ["vk-cut vk-cut-top", "vk-cut vk-cut-bottom", "vk-cut vk-cut-left", "vk-cut vk-cut-right"].forEach(function (cls) {
        var mark = el("span", cls);
        mark.setAttribute("aria-hidden", "true");
        sheet.appendChild(mark);
      });
      deck.insertBefore(sheet, shown[i]);
      sheet.appendChild(shown[i]);
      if (shown[i + 1]) sheet.appendChild(shown[i + 1]);
    }
  }

  /** Offer the PDFs `make pdf` has put in the site: each .vk-pdf box is shown once all its links'
   *  files are there (the whole deck; the print-shop deck, with and without backs). */
  function offerPdf() {
    if (!window.fetch) return;
    Array.prototype.forEach.call(document.querySelectorAll(".vk-pdf"), function (box) {
      var links = Array.prototype.slice.call(box.querySelectorAll("a[data-href]"));
      Promise.all(links.map(function (link) {
        return fetch(link.getAttribute("data-href"), { method: "HEAD" }).then(function (response) {
          return response.ok;
        });
      })).then(function (found) {
        if (links.length === 0 || found.indexOf(false) !== -1) return;
        links.forEach(function (link) { link.setAttribute("href", link.getAttribute("data-href")); });
        box.hidden = false;
      }).catch(function () {});
    });
  }

  /** The worksheets the shown cards name, printed after the cards when the trainer asks for them. */
  function attachSheets(deck) {
    var box = document.querySelector(".vk-with-sheets");
    var sheets = Array.prototype.slice.call(deck.querySelectorAll(".vk-deck-sheet"));
    if (!box || !sheets.length) return;
    var input = box.querySelector("input");
    box.hidden = false;
    input.checked = new URLSearchParams(location.search).get("ark") === "1";
    function update() {
      var named = {};
      Array.prototype.forEach.call(deck.querySelectorAll(".vk-deck-card:not([hidden])"), function (card) {
        (card.getAttribute("data-worksheets") || "").split(" ").forEach(function (s) { if (s) named[s] = true; });
      });
      var any = false;
      sheets.forEach(function (sheet) {
        sheet.hidden = !(input.checked && named[sheet.getAttribute("data-sheet")]);
        any = any || !sheet.hidden;
      });
      // The container stays out of the layout when empty: it would otherwise print a blank page.
      sheets[0].parentNode.hidden = !any;
    }
    input.addEventListener("change", function () {
      setParam("ark", input.checked ? "1" : "", false);
      update();
    });
    document.addEventListener("vk:deck-ready", update);
    update();
  }

  function attachDeckControls(deck) {
    offerPdf();
    attachSheets(deck);
    var fieldset = document.querySelector(".vk-format");
    var button = document.querySelector(".vk-print-button");
    if (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    }
    if (!fieldset) return;
    fieldset.hidden = false;
    var format = new URLSearchParams(location.search).get("papir") === "a4" ? "a4" : "a5";
    fieldset.querySelector("#format-" + format).checked = true;
    layout(deck, format);
    fieldset.addEventListener("change", function (ev) {
      format = ev.target.value;
      setParam("papir", format === "a4" ? "a4" : "", false);
      layout(deck, format);
    });
  }

  /* ---------------------------------------------------------------------------------------- */
  /* Workshop plan */

  /* A plan is a list of blocks: a card (slug:minutes), a pause (_pause:minutes) or a free block
   * (_fri:minutes), in `plan`; each block's note, one line each, in `noter` (joined by line breaks).
   * "_" cannot begin a card's slug, so the kinds never collide with a card. */
  var BLOCKS = { _pause: { title: "Pause", minutes: 15 }, _fri: { title: "Fri blok", minutes: 30 } };
  var MAX_MINUTES = 600;

  function parsePlan(raw, notes, known) {
    var plan = [];
    var lines = (notes || "").split("\n");
    (raw || "").split(",").forEach(function (part, i) {
      var bits = part.split(":");
      var slug = bits[0];
      var minutes = parseInt(bits[1], 10);
      var base = known[slug] || BLOCKS[slug];
      if (!base) return;
      plan.push({
        slug: slug,
        minutes: isFinite(minutes) && minutes > 0 ? Math.min(minutes, MAX_MINUTES) : base.minutes,
        note: (lines[i] || "").slice(0, 200)
      });
    });
    return plan;
  }

  function clock(start, minutes) {
    var m = /^(\d{1,2}):(\d{2})$/.exec(start || "") ;
    var base = m ? parseInt(m[1], 10) * 60 + parseInt(m[2], 10) : 9 * 60;
    var t = (base + minutes) % (24 * 60);
    var h = Math.floor(t / 60);
    var mm = t % 60;
    return (h < 10 ? "0" : "") + h + ":" + (mm < 10 ? "0" : "") + mm;
  }

  function duration(total) {
    var hours = Math.floor(total / 60);
    var rest = total % 60;
    return total + " min" + (hours ? " (" + hours + " t" + (rest ? " " + rest + " min" : "") + ")" : "");
  }

  function attachPlan(section, deck) {
    var cards = {};
    var order = [];
    Array.prototype.forEach.call(deck.querySelectorAll(".vk-deck-card"), function (card) {
      var slug = card.getAttribute("data-slug");
      // The card's materials: the first list in its "Materialer / Forberedelse" box.
      var materials = Array.prototype.map.call(card.querySelectorAll(".vk-prep > div:first-child li"), function (li) {
        return li.textContent.trim();
      });
      cards[slug] = { el: card, title: card.getAttribute("data-title"), minutes: parseInt(card.getAttribute("data-minutes"), 10) || 15, materials: materials };
      order.push(slug);
    });
    var builder = document.querySelector(".vk-plan-builder");
    var titleInput = document.getElementById("vk-plan-title");
    var startInput = document.getElementById("vk-plan-start");
    var select = document.getElementById("vk-plan-add");
    var addButton = document.getElementById("vk-plan-add-button");
    var addPause = document.getElementById("vk-plan-add-pause");
    var addFree = document.getElementById("vk-plan-add-free");
    var table = section.querySelector(".vk-plan-table");
    var tbody = table.querySelector("tbody");
    var total = section.querySelector(".vk-plan-total");
    var caption = section.querySelector(".vk-plan-caption");
    var empty = section.querySelector(".vk-plan-empty");
    var status = section.querySelector(".vk-plan-status");
    var heading = section.querySelector(".vk-plan-heading");
    var materialsBox = section.querySelector(".vk-plan-materials");
    var materialsList = section.querySelector(".vk-plan-materials-list");
    var share = document.querySelector(".vk-plan-share");
    var linkInput = document.getElementById("vk-plan-link");
    var copyButton = document.getElementById("vk-plan-copy");
    var printButton = document.querySelector(".vk-print-button");

    order.slice().sort(function (a, b) { return cards[a].title.localeCompare(cards[b].title, "da"); }).forEach(function (slug) {
      var option = el("option", "", cards[slug].title);
      option.value = slug;
      select.appendChild(option);
    });

    var params = new URLSearchParams(location.search);
    var plan = parsePlan(params.get("plan"), params.get("noter"), cards);
    titleInput.value = params.get("titel") || "";
    startInput.value = params.get("start") || "09:00";

    function save(push) {
      setParam("plan", plan.map(function (p) { return p.slug + ":" + p.minutes; }).join(","), push);
      var notes = plan.map(function (p) { return p.note; }).join("\n").replace(/\n+$/, "");
      setParam("noter", notes, false);
      setParam("titel", titleInput.value.trim(), false);
      setParam("start", startInput.value && startInput.value !== "09:00" ? startInput.value : "", false);
      linkInput.value = location.href;
    }

    function button(label, text, onClick) {
      var b = el("button", "md-button vk-small", text);
      b.type = "button";
      b.setAttribute("aria-label", label);
      b.addEventListener("click", onClick);
      return b;
    }

    /** What a block is called: its card's title; a pause or free block by its kind and place. */
    function name(item, i) {
      return cards[item.slug] ? cards[item.slug].title : BLOCKS[item.slug].title + " (punkt " + (i + 1) + ")";
    }

    function render(focusSelector) {
      while (tbody.firstChild) tbody.removeChild(tbody.firstChild);
      var elapsed = 0;
      var materials = [];
      var seen = {};
      plan.forEach(function (item, i) {
        var card = cards[item.slug];
        var label = name(item, i);
        var row = el("tr", card ? "vk-plan-card" : "vk-plan-block vk-plan-" + item.slug.slice(1));
        row.appendChild(el("td", "vk-plan-time", clock(startInput.value, elapsed) + "–" + clock(startInput.value, elapsed + item.minutes)));
        var what = el("td", "vk-plan-what");
        if (card) {
          var link = el("a", "", card.title);
          link.href = "#kort-" + item.slug;
          what.appendChild(link);
          card.materials.forEach(function (m) {
            var key = m.toLocaleLowerCase("da");
            if (!seen[key]) { seen[key] = true; materials.push(m); }
          });
        } else {
          what.appendChild(el("strong", "", BLOCKS[item.slug].title));
        }
        var note = el("input", "vk-plan-note");
        note.type = "text";
        note.maxLength = 200;
        note.value = item.note;
        note.setAttribute("aria-label", "Noter til " + label);
        note.setAttribute("placeholder", "Noter");
        note.addEventListener("change", function () {
          item.note = note.value.replace(/\s+/g, " ").trim();
          save(false);
          render();
        });
        what.appendChild(note);
        if (item.note) what.appendChild(el("span", "vk-print-inline vk-plan-note-text", item.note));
        row.appendChild(what);
        var cell = el("td", "vk-plan-min");
        var input = el("input");
        input.type = "number";
        input.min = "1";
        input.max = String(MAX_MINUTES);
        input.value = String(item.minutes);
        input.setAttribute("aria-label", "Minutter til " + label);
        input.className = "vk-plan-minutes";
        input.addEventListener("change", function () {
          var v = parseInt(input.value, 10);
          item.minutes = isFinite(v) && v > 0 ? Math.min(v, MAX_MINUTES) : item.minutes;
          save(false);
          render('.vk-plan-minutes[data-i="' + i + '"]');
        });
        input.setAttribute("data-i", String(i));
        cell.appendChild(input);
        cell.appendChild(el("span", "vk-print-inline", String(item.minutes)));
        row.appendChild(cell);
        var actions = el("td", "vk-no-print vk-plan-actions");
        actions.appendChild(button("Flyt " + label + " op", "↑", function () { move(i, -1); }));
        actions.appendChild(button("Flyt " + label + " ned", "↓", function () { move(i, 1); }));
        actions.appendChild(button("Fjern " + label, "Fjern", function () { remove(i); }));
        row.appendChild(actions);
        tbody.appendChild(row);
        elapsed += item.minutes;
      });
      total.textContent = duration(elapsed);
      table.hidden = plan.length === 0;
      empty.hidden = plan.length !== 0;
      while (materialsList.firstChild) materialsList.removeChild(materialsList.firstChild);
      materials.forEach(function (m) { materialsList.appendChild(el("li", "", m)); });
      materialsBox.hidden = materials.length === 0;
      var title = titleInput.value.trim();
      heading.textContent = title ? "Plan: " + title : "Plan";
      caption.textContent = plan.length ? "Start " + clock(startInput.value, 0) + ", slut " + clock(startInput.value, elapsed) : "";
      // The deck shows exactly the planned cards, in plan order.
      order.forEach(function (slug) { cards[slug].el.hidden = true; });
      plan.forEach(function (item) {
        if (!cards[item.slug]) return;
        deck.appendChild(cards[item.slug].el);
        cards[item.slug].el.hidden = false;
      });
      if (printButton) printButton.disabled = plan.length === 0;
      linkInput.value = location.href;
      if (focusSelector) {
        var target = tbody.querySelector(focusSelector);
        if (target) target.focus();
      }
    }

    function move(i, delta) {
      var j = i + delta;
      if (j < 0 || j >= plan.length) return;
      var item = plan[i];
      plan[i] = plan[j];
      plan[j] = item;
      save(true);
      render();
      status.textContent = name(item, j) + " er flyttet til plads " + (j + 1) + ".";
    }

    function remove(i) {
      var label = name(plan[i], i);
      plan.splice(i, 1);
      save(true);
      render();
      status.textContent = label + " er fjernet fra planen.";
      select.focus();
    }

    function add(slug) {
      var base = cards[slug] || BLOCKS[slug];
      plan.push({ slug: slug, minutes: base.minutes, note: "" });
      save(true);
      render();
      status.textContent = name(plan[plan.length - 1], plan.length - 1) + " er tilføjet. Planen varer nu " + total.textContent + ".";
    }

    addButton.addEventListener("click", function () {
      var slug = select.value;
      if (!slug) { status.textContent = "Vælg et metodekort først."; select.focus(); return; }
      add(slug);
    });
    addPause.addEventListener("click", function () { add("_pause"); });
    addFree.addEventListener("click", function () { add("_fri"); });
    titleInput.addEventListener("input", function () { save(false); render(); });
    startInput.addEventListener("change", function () { save(false); render(); });
    copyButton.addEventListener("click", function () {
      linkInput.value = location.href;
      linkInput.select();
      var done = function () { status.textContent = "Linket til planen er kopieret."; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(location.href).then(done, function () {
          status.textContent = "Linket er markeret: kopiér det med Ctrl+C.";
        });
      } else {
        status.textContent = "Linket er markeret: kopiér det med Ctrl+C.";
      }
    });
    if (printButton) {
      printButton.hidden = false;
      printButton.addEventListener("click", function () { window.print(); });
    }
    builder.hidden = false;
    share.hidden = false;
    deck.classList.add("vk-plan-deck");
    render();
  }

  /** A card page's "Udskriv kortet": the page's own print styles put the card on one A5 page. */
  function attachCardPrint() {
    var button = document.querySelector(".vk-print-card");
    if (!button || button.getAttribute("data-print-ready")) return;
    button.setAttribute("data-print-ready", "1");
    button.addEventListener("click", function () { window.print(); });
  }

  function attachAll() {
    attachCardPrint();
    var deck = document.querySelector(".vk-deck");
    if (!deck || deck.getAttribute("data-print-ready")) return;
    deck.setAttribute("data-print-ready", "1");
    var plan = document.querySelector(".vk-plan");
    if (plan) attachPlan(plan, deck);
    else attachDeckControls(deck);
  }

  // The pages that use this script embed it (render.scripts); Material's instant navigation runs it
  // again on each of them, so it attaches to the document it finds, once the document is parsed.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", attachAll);
  else attachAll();
})();
