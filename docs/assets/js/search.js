/* The site search: one engine (Pagefind, toolbox/search.py) for the header search and the text box
 * on the method and case overviews.
 *
 * `window.vkSearch.rank(q, type)` is the one matching rule: Pagefind's Danish stemming and prefix
 * match, accents ignored; a query is also tried without its words' inflectional endings and with
 * aa, ae and oe as å, æ and ø, the strongest reading winning (legepladsen finds Legeplads, koege
 * finds Køge, Aabenraa stays Aabenraa). The header shows the results in Material's search dialog,
 * with Material's look and keys (/ or s opens, arrows move, Enter follows, Esc closes);
 * filter.js asks `vkSearch.slugs(q, kind)` for the overview's items in rank order. Pagefind and its
 * index load when the search is first opened or used, never with the page. A method card's result
 * has an "Udskriv" link to the print deck with only that card. It writes text and attributes only:
 * excerpts are rebuilt from text nodes, with <mark> as the one element kept.
 */
(function () {
  "use strict";

  var base = new URL("../../", document.currentScript.src);   // this file is <site>/assets/js/search.js
  var TYPES = { metoder: "Metode", cases: "Case" };           // overview kind -> Pagefind filter value
  var PAGE = 10;                                              // header results shown per "Vis flere"
  // Help pages, the glossary and the overviews count half: for the same match a method card or a
  // case comes first (a page's weight in the index does not reach its headings, so it is done here).
  var OTHER_PAGES = 0.5;
  var engine = null;
  var idMaps = {};

  /** Pagefind, loaded and initialised once (a rejected load is retried on the next query). */
  function load() {
    if (!engine) {
      engine = import(new URL("pagefind/pagefind.js", base).href).then(function (pf) {
        return pf.options({ baseUrl: base.pathname, excerptLength: 26 })
          .then(function () { return pf.init(); })
          .then(function () { return pf; });
      });
      engine.catch(function () { engine = null; });
    }
    return engine;
  }

  // Danish inflectional endings (plural, definite, genitive), longest first. Pagefind stems a query
  // with the Danish Snowball stemmer, which takes one ending off: "legepladsen" becomes "legeplads"
  // while the page's "legeplads" is indexed as "legeplad", and the two never meet. Taking the
  // ending off first lets the stemmer take the next, and Pagefind's prefix match does the rest.
  var ENDINGS = ["ernes", "enes", "erne", "ene", "ens", "ets", "ers", "en", "et", "er", "es", "e", "s"];
  var SHORTEST = 4;   // letters left after an ending is taken off ("open" stays "open")

  /** A word without its Danish inflectional ending, if enough of it is left. */
  function bare(word) {
    for (var i = 0; i < ENDINGS.length; i++) {
      var e = ENDINGS[i];
      if (word.length - e.length >= SHORTEST && word.slice(-e.length) === e) return word.slice(0, -e.length);
    }
    return word;
  }

  /** The readings of what was typed, in groups: as typed, and with aa, ae and oe as å, æ and ø if
   * it has them (Danish typed without its letters: koege, traeningsbanen); each group holds the
   * query as typed and with every word's inflectional ending off. */
  function variants(q) {
    var words = q.toLocaleLowerCase("da").split(/\s+/).filter(Boolean);
    if (!words.length) return [];
    var forms = [words.join(" "), words.map(bare).join(" ")];   // endings off before the letters:
    var danish = forms.map(function (v) {                         // spoergeskemaet is not "-skemæt"
      return v.replace(/aa/g, "å").replace(/ae/g, "æ").replace(/oe/g, "ø");
    });
    return (danish.join() === forms.join() ? [forms] : [forms, danish]).map(function (g) {
      return g[0] === g[1] ? [g[0]] : g;
    });
  }

  /** The pages the queries find, each page at its best score (times `weight`), by page id. */
  function union(searches, weight, into) {
    searches.forEach(function (s) {
      (s && s.results || []).forEach(function (r) {
        var score = r.score * weight;
        if (!(r.id in into) || score > into[r.id].score) into[r.id] = { id: r.id, score: score, data: r.data };
      });
    });
    return into;
  }

  /** Of the groups of readings, the one whose best match over the whole site is strongest (so
   * "koege" is read as "køge", but "aabenraa" stays Aabenraa where the site has it; the first on a
   * tie). It is chosen before any filter, so the header and the overviews read a query alike. */
  function reading(pf, groups) {
    if (groups.length < 2) return Promise.resolve(groups[0]);
    return Promise.all(groups.map(function (g) {
      return Promise.all(g.map(function (v) { return pf.search(v); }));
    })).then(function (searched) {
      var best = 0;
      var top = -1;
      searched.forEach(function (searches, i) {
        var found = union(searches, 1, {});
        var score = Math.max.apply(null, [0].concat(Object.keys(found).map(function (id) { return found[id].score; })));
        if (score > top) { top = score; best = i; }
      });
      return groups[best];
    });
  }

  /** The pages a query finds, best first, as { id, score, data } (Pagefind's result, its score
   * weighted); `type` limits them to one kind ("Metode", "Case"). A page found by the query as
   * typed and without endings counts at its better score. */
  function rank(q, type) {
    var groups = variants(q);
    if (!groups.length) return Promise.resolve([]);
    var kinds = type ? [[{ type: type }, 1]]
      : [[{ type: { any: ["Metode", "Case"] } }, 1], [{ type: "Side" }, OTHER_PAGES]];
    return load().then(function (pf) {
      return reading(pf, groups).then(function (queries) {
        return Promise.all(kinds.map(function (k) {
          return Promise.all(queries.map(function (v) { return pf.search(v, { filters: k[0] }); }))
            .then(function (searches) { return [searches, k[1]]; });
        }));
      });
    }).then(function (runs) {
      var found = {};
      runs.forEach(function (run) { union(run[0], run[1], found); });
      return Object.keys(found).map(function (id) { return found[id]; })
        .sort(function (a, b) { return b.score - a.score || (a.id < b.id ? -1 : 1); });
    });
  }

  /** Pagefind's page id -> slug for an overview kind (written by toolbox/search.py). */
  function idMap(kind) {
    if (!idMaps[kind]) {
      idMaps[kind] = fetch(new URL("search/" + kind + ".json", base).href).then(function (r) {
        if (!r.ok) throw new Error("search/" + kind + ".json: " + r.status);
        return r.json();
      });
      idMaps[kind].catch(function () { delete idMaps[kind]; });
    }
    return idMaps[kind];
  }

  /** The slugs of the items of an overview ("metoder" or "cases") a query finds, best first. */
  function slugs(q, kind) {
    return Promise.all([rank(q, TYPES[kind]), idMap(kind)]).then(function (both) {
      return both[0].map(function (r) { return both[1][r.id]; }).filter(Boolean);
    });
  }

  /** Pagefind's excerpt (escaped text with <mark> around matched words) as nodes in `into`. */
  function appendExcerpt(into, excerpt) {
    var doc = new DOMParser().parseFromString("<p>" + excerpt + "</p>", "text/html");   // inert
    var p = doc.body.firstChild;
    Array.prototype.forEach.call(p ? p.childNodes : [], function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        into.appendChild(mark);
      } else {
        into.appendChild(document.createTextNode(node.textContent));
      }
    });
  }

  // ---- the header search (Material's dialog) ----------------------------------------------

  function attachHeader() {
    var dialog = document.querySelector(".vk-search");
    var toggle = document.getElementById("__search");
    if (!dialog || !toggle || dialog.getAttribute("data-ready")) return;
    dialog.setAttribute("data-ready", "1");
    var form = dialog.querySelector(".md-search__form");
    var input = dialog.querySelector(".md-search__input");
    var meta = dialog.querySelector(".md-search-result__meta");
    var list = dialog.querySelector(".md-search-result__list");
    var output = dialog.querySelector(".md-search-result");
    var t = {};
    try { t = JSON.parse(document.getElementById("__config").textContent).translations || {}; } catch (e) { t = {}; }
    var placeholder = t["search.result.placeholder"] || "Skriv for at søge";
    var seq = 0;
    var timer = null;
    var results = [];
    var shown = 0;
    var more = document.createElement("button");
    more.type = "button";
    more.className = "md-button vk-search-more";
    more.textContent = "Vis flere resultater";

    function open() {
      toggle.checked = true;
      input.focus();
      input.select();
      load();
    }

    function close() {
      toggle.checked = false;
      if (dialog.contains(document.activeElement)) document.activeElement.blur();
    }

    function count(n) {
      var key = n === 0 ? "search.result.none" : n === 1 ? "search.result.one" : "search.result.other";
      var fallback = n === 0 ? "Ingen resultater" : n === 1 ? "1 resultat" : "# resultater";
      return (t[key] || fallback).replace("#", n.toLocaleString("da-DK"));
    }

    /** A method card's phases as the badges the site uses elsewhere (colour and name, never colour
     *  alone), from the "phases" metadata its page gives the index: "vk-phase-x=Label;...". */
    function phaseBadges(value) {
      if (!value) return null;
      var line = document.createElement("span");
      line.className = "vk-search-phases";
      var lead = document.createElement("span");
      lead.className = "vk-visually-hidden";
      lead.textContent = "Fase: ";
      line.appendChild(lead);
      String(value).split(";").forEach(function (pair) {
        var cut = pair.indexOf("=");
        var cls = pair.slice(0, cut), label = pair.slice(cut + 1);
        if (cut < 1 || !/^vk-phase-[a-z0-9-]+$/.test(cls) || !label) return;
        var badge = document.createElement("span");
        badge.className = "vk-badge " + cls;
        badge.textContent = label;
        line.appendChild(badge);
        line.appendChild(document.createTextNode(" "));
      });
      return line.childNodes.length > 1 ? line : null;
    }

    function item(data) {
      var li = document.createElement("li");
      li.className = "md-search-result__item";
      var a = document.createElement("a");
      a.className = "md-search-result__link";
      a.href = data.url;
      var article = document.createElement("article");
      article.className = "md-search-result__article md-typeset";
      var icon = document.createElement("div");
      icon.className = "md-search-result__icon md-icon";
      var h = document.createElement("h1");
      var kind = document.createElement("span");
      kind.className = "vk-kind";
      kind.textContent = (data.meta && data.meta.type) || "Side";
      h.appendChild(kind);
      h.appendChild(document.createTextNode(" " + ((data.meta && data.meta.title) || data.url)));
      var phases = phaseBadges(data.meta && data.meta.phases);
      var p = document.createElement("p");
      appendExcerpt(p, data.excerpt || "");
      article.appendChild(icon);
      article.appendChild(h);
      if (phases) article.appendChild(phases);
      article.appendChild(p);
      a.appendChild(article);
      li.appendChild(a);
      var print = printLink(data);
      if (print) li.appendChild(print);
      return li;
    }

    /** A method card's "Udskriv" link: the print deck with exactly that card (/udskriv/?kort=slug,
     *  as the chooser's). Its own link beside the result's, reached with Tab; the card's title in
     *  its accessible name tells the results' links apart. */
    function printLink(data) {
      var m = /\/metoder\/([a-z0-9]+(?:-[a-z0-9]+)*)\/?$/.exec(new URL(data.url, location.href).pathname);
      if (!m || !data.meta || data.meta.type !== "Metode") return null;
      var p = document.createElement("div");   // not a <p>: the result's excerpt is its one paragraph
      p.className = "vk-search-print";
      var a = document.createElement("a");
      a.href = new URL("udskriv/?kort=" + m[1], base).href;
      a.textContent = "Udskriv";
      var hidden = document.createElement("span");
      hidden.className = "vk-visually-hidden";
      hidden.textContent = " kortet: " + (data.meta.title || m[1]);
      a.appendChild(hidden);
      p.appendChild(a);
      return p;
    }

    /** Add the next PAGE results to the list (each result's text is fetched only when shown). */
    function showMore(ticket) {
      var next = results.slice(shown, shown + PAGE);
      shown += next.length;
      return Promise.all(next.map(function (r) { return r.data(); })).then(function (datas) {
        if (ticket !== seq) return;
        if (more.parentNode) more.parentNode.removeChild(more);
        datas.forEach(function (d) { list.appendChild(item(d)); });
        if (shown < results.length) list.appendChild(more);
      });
    }

    function run() {
      var ticket = ++seq;
      var q = input.value.trim();
      output.removeAttribute("data-query");
      if (!q) {
        results = [];
        list.replaceChildren();
        meta.textContent = placeholder;
        return;
      }
      rank(q).then(function (found) {
        if (ticket !== seq) return;
        results = found;
        shown = 0;
        list.replaceChildren();
        meta.textContent = count(found.length);
        return showMore(ticket).then(function () {
          if (ticket === seq) output.setAttribute("data-query", q);   // the results shown are q's
        });
      }).catch(function () {
        if (ticket === seq) meta.textContent = "Søgningen kunne ikke hentes. Prøv igen.";
      });
    }

    more.addEventListener("click", function () {
      var at = list.querySelectorAll(".md-search-result__link").length;
      showMore(seq).then(function () {
        var link = list.querySelectorAll(".md-search-result__link")[at];
        if (link) link.focus();
      });
    });
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    form.addEventListener("reset", function () {
      setTimeout(function () { run(); input.focus(); }, 0);
    });
    input.addEventListener("focus", function () { toggle.checked = true; load(); });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 60);
    });
    toggle.addEventListener("change", function () {
      if (toggle.checked) open();
    });
    // Focus leaving the dialog closes it, as in Material (the overlay's label closes it too).
    dialog.addEventListener("focusout", function (ev) {
      if (ev.relatedTarget && !dialog.contains(ev.relatedTarget)) toggle.checked = false;
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
      if (toggle.checked) {
        var links = [input].concat(Array.prototype.slice.call(list.querySelectorAll(".md-search-result__link")));
        var at = links.indexOf(document.activeElement);
        if (ev.key === "Escape") {
          close();
          ev.preventDefault();
        } else if ((ev.key === "ArrowDown" || ev.key === "ArrowUp") && (at >= 0 || dialog.contains(document.activeElement))) {
          var step = ev.key === "ArrowDown" ? 1 : links.length - 1;
          links[(Math.max(at, 0) + step) % links.length].focus();
          ev.preventDefault();
        } else if (ev.key === "Enter" && at === 0 && links.length > 1) {
          links[1].click();
          ev.preventDefault();
        }
        return;
      }
      var target = ev.target;
      if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
      if (ev.key === "/" || ev.key === "s" || ev.key === "S" || ev.key === "f") {
        open();
        ev.preventDefault();
      }
    });
    // Instant navigation keeps the header: a followed result closes the dialog.
    if (typeof window.document$ !== "undefined") {
      var first = true;
      window.document$.subscribe(function () {
        if (!first) close();
        first = false;
      });
    }
  }

  window.vkSearch = { rank: rank, slugs: slugs, variants: variants, load: load };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", attachHeader);
  else attachHeader();
})();
