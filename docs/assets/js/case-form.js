/* The case form on /bidrag/ny-case/: write a case in the browser, without git.
 *
 * Everything the form knows comes from the JSON file named by #vk-cf's data-config, which toolbox/forms.py
 * derives from the content model and the vocabularies: the fields in model order, the choices,
 * the body sections, the validator's rules and the privacy patterns. This script checks the
 * fields with the same rules, shows a live preview, keeps a draft in localStorage, and builds the
 * finished Markdown file. Nothing is sent anywhere: the file leaves the browser only when the user
 * downloads it or opens GitHub with it. It writes text and attributes only, never HTML. The page
 * embeds it, and Material's instant navigation runs it again when it comes to the page.
 */
(function () {
  "use strict";

  var STORAGE_KEY = "vk-case-form-draft";
  var LONG_URL = 8000;  // GitHub may refuse longer addresses

  // -------------------------------------------------------------------------------------------
  // Small helpers

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function fmt(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
    });
  }

  /** Characters as Python counts them (code points, not UTF-16 units). */
  function length(text) {
    return text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, "_").length;
  }

  /** Text without lone surrogates, carriage returns and control characters YAML cannot hold. */
  function clean(text) {
    text = String(text || "");
    text = typeof text.toWellFormed === "function" ? text.toWellFormed()
      : text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "$1\uFFFD");
    return text.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F\uFFFE\uFFFF]/g, "");
  }

  /** One line: tabs and line breaks become spaces, outer spaces go. */
  function oneLine(text) {
    return clean(text).replace(/[\t\n\u0085\u2028\u2029]+/g, " ").trim();
  }

  /** The same slug as toolbox/text.py slugify: æ→ae, ø→oe, å→aa, other accents dropped. */
  function slugify(text, map) {
    var out = "";
    Array.prototype.forEach.call(String(text).toLowerCase(), function (ch) {
      out += Object.prototype.hasOwnProperty.call(map, ch) ? map[ch] : ch;
    });
    out = out.normalize("NFKD").replace(/[^\u0000-\u007F]/g, "");
    return out.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }

  /** A YAML double-quoted scalar: backslash, quote and every control or line-break character escaped. */
  function yamlString(text) {
    return "\"" + String(text).replace(/[\\"\u0000-\u001F\u007F-\u009F\u2028\u2029\uFEFF]/g, function (c) {
      if (c === "\\") return "\\\\";
      if (c === "\"") return "\\\"";
      return "\\u" + ("0000" + c.charCodeAt(0).toString(16).toUpperCase()).slice(-4);
    }) + "\"";
  }

  function choiceLabel(field, value) {
    var choices = field.choices || [];
    for (var i = 0; i < choices.length; i++) if (choices[i].value === value) return choices[i].label;
    return value;
  }

  function hasChoice(field, value) {
    return (field.choices || []).some(function (c) { return c.value === value; });
  }

  // -------------------------------------------------------------------------------------------
  // Rules: the validator's checks (toolbox/validate.py, privacy.py, html_policy.py) in the browser

  function makeRules(config) {
    var r = config.rules, p = config.privacy, m = config.markup;
    return {
      slug: new RegExp(r.slug),
      tag: new RegExp(r.tag),
      url: new RegExp(r.url),
      forbidden: new RegExp(r.line_forbidden),
      yearMin: r.year_min,
      yearMax: Math.max(r.year_max, new Date().getFullYear()),
      privacy: compilePrivacy(p),
      names: compileNames(config.names),
      htmlTag: m.tag, allowedTags: m.allowed_tags
    };
  }

  function each(pattern, text, fn) {
    var re = new RegExp(pattern, "g"), m;
    while ((m = re.exec(text)) !== null) {
      fn(m);
      if (m[0] === "") re.lastIndex++;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Personal data: toolbox/privacy.py in the browser, on the same pattern sources. The lines between
  // "privacy:begin" and "privacy:end" use nothing else from this file, because tests/test_privacy.py
  // runs them in Node and compares what they find with what Python finds.
  // privacy:begin

  var PRIVACY_KINDS = ["cpr", "email", "phone"];  // the order of two findings at the same place
  var HIDDEN = /^[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\p{Cn}]$/u;

  /** The privacy patterns, compiled once; "u" makes JavaScript read them by code point, as Python does. */
  function compilePrivacy(p) {
    return {
      cpr: new RegExp(p.cpr, "gu"), email: new RegExp(p.email, "gu"), phone: new RegExp(p.phone, "gu"),
      dot: new RegExp(p.dot, "gu"), shownMax: p.shown_max,
      officialEmails: p.official_emails, officialPhones: p.official_phones
    };
  }

  /** Every match of a global pattern in `text`, left to right, as re.finditer gives them. */
  function matchesOf(re, text) {
    var out = [], m;
    re.lastIndex = 0;
    while ((m = re.exec(text)) !== null) {
      out.push(m);
      if (m[0] === "") re.lastIndex++;
    }
    return out;
  }

  /** Whether day/month/year is a date in the Gregorian calendar. */
  function isDate(day, month, year) {
    if (month < 1 || month > 12 || day < 1) return false;
    var leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    return day <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  }

  /** The found text as a message quotes it, as toolbox/privacy.py does: tab and line breaks as \t, \n,
   * \r, a no-break space as a space, other hidden characters as [U+XXXX], at most `max` characters. */
  function shown(value, max) {
    var out = "";
    Array.from(value.slice(0, max * 8)).slice(0, max * 4).forEach(function (ch) {
      var cp = ch.codePointAt(0);
      if (ch === "\t") out += "\\t";
      else if (ch === "\n") out += "\\n";
      else if (ch === "\r") out += "\\r";
      else if (ch === "\u00A0") out += " ";
      else if (HIDDEN.test(ch)) out += "[U+" + ("0000" + cp.toString(16).toUpperCase()).slice(-Math.max(4, cp.toString(16).length)) + "]";
      else out += ch;
    });
    var chars = Array.from(out);
    return chars.length <= max ? out : chars.slice(0, max - 1).join("") + "\u2026";
  }

  /** Whether a phone-shaped number without a country code is two years side by side or a date. */
  function notAPhone(number) {
    if (!/[0-9]/.test(number[2])) return false;  // 2-2-2-2 is how phone numbers are written
    var digits = number.replace(/[^0-9]/g, "");
    var first = +digits.slice(0, 4), last = +digits.slice(4);
    if (first >= 1900 && first <= 2099 && last >= 1900 && last <= 2099) return true;
    if (number.length !== 8) return false;
    return (first >= 1900 && first <= 2099 && isDate(+digits.slice(6), +digits.slice(4, 6), first)) ||
      (last >= 1900 && last <= 2099 && isDate(+digits.slice(0, 2), +digits.slice(2, 4), last));
  }

  /** { index, kind, value, shown } for each CPR number, e-mail address or phone number in `text`, in order. */
  function personalFindings(text, p) {
    var found = [], taken = [];
    function add(m, kind) {
      found.push({ index: m.index, kind: kind, value: m[0], shown: shown(m[0], p.shownMax) });
    }
    matchesOf(p.email, text).forEach(function (m) {
      taken.push([m.index, m.index + m[0].length]);
      var address = (m[1] + "@" + m[3].replace(p.dot, ".")).toLowerCase();
      if (p.officialEmails.indexOf(address) === -1) add(m, "email");
    });
    matchesOf(p.cpr, text).forEach(function (m) {
      if (isDate(+m[1], +m[3], 2000 + +m[4])) {
        add(m, "cpr");
        taken.push([m.index, m.index + m[0].length]);
      }
    });
    // Phone numbers come left to right: a pointer walks the taken spans (CPR numbers, addresses)
    // that start before the number ends, keeping the furthest end among them.
    taken.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var next = 0, reach = -1;
    matchesOf(p.phone, text).forEach(function (m) {
      var start = m.index, end = start + m[0].length;
      while (next < taken.length && taken[next][0] < end) reach = Math.max(reach, taken[next++][1]);
      if (reach > start) return;  // part of a CPR number or an address, reported as that
      if (!m[1] && notAPhone(m[2])) return;
      if (p.officialPhones.indexOf(m[2].replace(/[^0-9]/g, "")) === -1) add(m, "phone");
    });
    found.sort(function (a, b) { return a.index - b.index || PRIVACY_KINDS.indexOf(a.kind) - PRIVACY_KINDS.indexOf(b.kind); });
    return found;
  }

  // privacy:end

  // Personal names: toolbox/names.py in the browser, on the same pattern source. The lines between
  // "names:begin" and "names:end" use nothing else from this file (tests/test_names.py runs them).
  // names:begin
  /** The name pattern, compiled once, and the phrases that name no person. */
  function compileNames(n) {
    return { re: new RegExp(n.pattern, "gu"), allowed: n.allowed };
  }

  /** [offset, text] of each likely personal name in `text`, allowed phrases left out. */
  function nameFindings(text, n) {
    var allowed = [];
    n.allowed.forEach(function (phrase) {
      for (var at = text.indexOf(phrase); at !== -1; at = text.indexOf(phrase, at + 1)) allowed.push([at, at + phrase.length]);
    });
    var found = [], m;
    n.re.lastIndex = 0;
    while ((m = n.re.exec(text)) !== null) {
      var start = m.index, end = m.index + m[0].length;
      if (!allowed.some(function (a) { return a[0] < end && start < a[1]; })) found.push([start, m[0]]);
      if (m[0].length === 0) n.re.lastIndex++;
    }
    return found;
  }
  // names:end

  /** Messages for everything in `text` that looks like a CPR number, e-mail address or phone number. */
  function personalData(text, privacy, msg) {
    return personalFindings(text, privacy).map(function (f) { return fmt(msg[f.kind], { value: f.shown }); });
  }

  var FENCE = /^\s*(```|~~~)/;

  /** Markup the validator rejects in a body section, and headings that would break the sections. */
  function bodyProblems(text, rules, msg) {
    var found = [];
    var fenced = false;
    text.split("\n").forEach(function (line, i) {
      if (FENCE.test(line)) { fenced = !fenced; return; }
      if (fenced) return;
      var heading = /^(#{1,2})(\s|$)/.exec(line);
      if (heading) found.push(fmt(msg.heading, { i: i + 1, value: heading[1] }));
      line = line.replace(/(`+)(.+?)\1/g, function (all) { return new Array(all.length + 1).join(" "); });
      if (line.indexOf("<!--") !== -1) found.push(msg.html_comment);
      if (line.indexOf("--8<--") !== -1) found.push(msg.include);
      if (line.indexOf("{#") !== -1 || /\{\s*[:.#]|\{[^{}]*=/.test(line)) found.push(msg.attr_list);
      var tags = 0;
      each(rules.htmlTag, line, function (m) {
        tags++;
        var name = m[2].toLowerCase();
        var attrs = (m[3] || "").replace(/^[\s\/]+|[\s\/]+$/g, "");
        if (rules.allowedTags.indexOf(name) === -1) {
          found.push(fmt(msg.html_tag, { value: name }));
        } else if (attrs && !(name === "abbr" && /^title\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)$/i.test(attrs))) {
          found.push(fmt(msg.html_attr, { value: name }));
        }
      });
      if (!tags && /\bon[a-z]+\s*=/.test(line)) found.push(msg.handler);
      each("(!?)\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]*)", line, function (m) {
        var scheme = /^\s*([a-zA-Z][a-zA-Z0-9+.-]*)\s*:/.exec(m[2]);
        var s = scheme ? scheme[1].toLowerCase() : "";
        if (s && s !== "http" && s !== "https" && s !== "mailto") found.push(fmt(msg.link, { value: m[2] }));
        else if (m[1] && s) found.push(fmt(msg.image, { value: m[2] }));
      });
    });
    if (fenced) found.push(msg.fence);
    return found;
  }

  // -------------------------------------------------------------------------------------------
  // Reading the form into data, checking it, and writing the file

  function splitLines(text) {
    return clean(text).split("\n").map(function (l) { return oneLine(l); }).filter(Boolean);
  }

  function splitTags(text) {
    return oneLine(text).split(",").map(function (t) { return t.trim(); }).filter(Boolean);
  }

  function bodyText(text) {
    return clean(text).split("\n").map(function (l) { return l.replace(/\s+$/, ""); }).join("\n")
      .replace(/^\n+|\n+$/g, "");
  }

  /** The form's values, shaped like the front matter (plus raw year state and the body sections). */
  function collect(form, config) {
    var data = { meta: {}, yearBad: false, sections: [] };
    function value(name) {
      var c = form.elements.namedItem(name);
      return c && c.value !== undefined ? c.value : "";
    }
    function checked(name) {
      return Array.prototype.filter.call(form.querySelectorAll("input[type=checkbox]"), function (b) {
        return b.name === name && b.checked;
      }).map(function (b) { return b.value; });
    }
    config.fields.forEach(function (f) {
      var name = f.name;
      if (f.kind === "line" || f.kind === "term") data.meta[name] = oneLine(value(name));
      else if (f.kind === "text") data.meta[name] = bodyText(value(name));
      else if (f.kind === "year") {
        var input = form.elements.namedItem(name);
        var raw = oneLine(value(name));
        data.yearBad = !!(input && input.validity && input.validity.badInput);
        data.meta[name] = raw;
      } else if (f.kind === "terms" || f.kind === "slugs") data.meta[name] = checked(name);
      else if (f.kind === "lines") data.meta[name] = splitLines(value(name));
      else if (f.kind === "tags") data.meta[name] = splitTags(value(name));
      else if (f.kind === "source") {
        var src = {};
        f.parts.forEach(function (p) { src[p.name] = oneLine(value(name + "." + p.name)); });
        data.meta[name] = src;
      }
    });
    config.sections.forEach(function (s) {
      data.sections.push({ title: s.title, id: s.id, required: s.required, text: bodyText(value("section-" + s.id)) });
    });
    return data;
  }

  /** Every problem as { slot, message }, in form order. */
  function check(data, config, rules) {
    var msg = config.messages;
    var problems = [];
    function add(slot, message) { problems.push({ slot: slot, message: message, short: message }); }
    /** A missing value: the field's help follows the message next to the field, not in the summary. */
    function missing(slot, template, help) {
      problems.push({ slot: slot, message: fmt(template, { help: help || "" }).trim(), short: fmt(template, { help: "" }).trim() });
    }
    function privacy(slot, text) {
      personalData(text, rules.privacy, msg).forEach(function (m) { add(slot, m); });
      nameFindings(text, rules.names).forEach(function (f) { add(slot, fmt(msg.name, { value: f[1] })); });
    }
    function line(slot, text, field) {
      if (!text) {
        if (field.required) missing(slot, msg.required_text, field.form_help || field.help);
        return;
      }
      if (length(text) > field.max_length) add(slot, fmt(msg.too_long, { n: length(text), max: field.max_length }));
      if (rules.forbidden.test(text)) add(slot, msg.angle);
      privacy(slot, text);
    }
    function duplicates(slot, items) {
      var seen = {};
      items.forEach(function (item) {
        if (seen[item] === 1) add(slot, fmt(msg.duplicate, { value: item }));
        seen[item] = (seen[item] || 0) + 1;
      });
    }
    // The template's own texts (toolbox/validate.py, check_placeholders), compared as it does.
    var ph = config.placeholders;
    function norm(text) {
      return String(text || "").replace(/^\s*(?:[-*+]|\d+[.)])\s+/, "").split(/\s+/).filter(Boolean).join(" ").toLowerCase();
    }
    function placeholder(slot, key, text) {
      if (text && (ph.values[key] || []).indexOf(norm(text)) !== -1) add(slot, fmt(msg.placeholder, { value: text }));
    }
    config.fields.forEach(function (f) {
      var v = data.meta[f.name];
      if (f.kind === "line" || f.kind === "text") placeholder(f.name, f.name, v);
      else if (f.kind === "lines") v.forEach(function (item) { placeholder(f.name, f.name, item); });
      else if (f.kind === "source") f.parts.forEach(function (p) { placeholder(f.name + "-" + p.name, f.name + "." + p.name, v[p.name]); });
    });
    config.fields.forEach(function (f) {
      var v = data.meta[f.name];
      var name = f.name;
      if (f.kind === "line") line(name, v, f);
      else if (f.kind === "text") {
        if (!v && f.required) missing(name, msg.required_text, f.form_help);
        else if (v && length(v) > f.max_length) add(name, fmt(msg.too_long, { n: length(v), max: f.max_length }));
        if (v) privacy(name, v);
      } else if (f.kind === "year") {
        if (data.yearBad || (v && !/^\d{4}$/.test(v))) add(name, fmt(msg.year, { min: rules.yearMin, max: rules.yearMax }));
        else if (v && (+v < rules.yearMin || +v > rules.yearMax)) add(name, fmt(msg.year, { min: rules.yearMin, max: rules.yearMax }));
        else if (!v && f.required) missing(name, msg.required_text, f.form_help);
      } else if (f.kind === "term") {
        if (!v || !hasChoice(f, v)) missing(name, msg.required_choice, f.form_help);
      } else if (f.kind === "terms" || f.kind === "slugs") {
        if (!v.length && f.required) missing(name, msg.required_multi, f.form_help);
        v.forEach(function (item) {
          if (f.kind === "slugs" && !rules.slug.test(item)) add(name, fmt(msg.slug, { value: item }));
          else if (f.kind === "terms" && !hasChoice(f, item)) missing(name, msg.required_choice, f.form_help);
        });
      } else if (f.kind === "lines") {
        if (!v.length && f.required) missing(name, msg.required_lines, f.form_help);
        v.forEach(function (item, i) {
          if (length(item) > f.max_length) add(name, fmt(msg.item_too_long, { i: i + 1, n: length(item), max: f.max_length }));
          privacy(name, item);
        });
      } else if (f.kind === "tags") {
        if (!v.length && f.required) missing(name, msg.required_text, f.form_help);
        v.forEach(function (item) {
          if (!rules.tag.test(item)) add(name, fmt(msg.tag, { value: item }));
          privacy(name, item);
        });
        duplicates(name, v);
      } else if (f.kind === "source") {
        f.parts.forEach(function (p) {
          var slot = name + "-" + p.name;
          var text = v[p.name];
          if (p.kind === "url") {
            if (text && !rules.url.test(text)) add(slot, msg.url);
            else if (!text && p.required) missing(slot, msg.required_text, p.help);
          } else {
            line(slot, text, p);
          }
        });
      }
    });
    data.sections.forEach(function (s) {
      var slot = "section-" + s.id;
      if (!s.text) {
        if (s.required) add(slot, msg.required_section);
        return;
      }
      bodyProblems(s.text, rules, msg).forEach(function (m) { add(slot, m); });
      s.text.split("\n").forEach(function (l) {
        privacy(slot, l);
        var n = norm(l);
        var asked = n && ph.questions.some(function (q) { return n.indexOf(q) === 0; });
        if (n && (ph.lines.indexOf(n) !== -1 || asked)) add(slot, fmt(msg.placeholder_section, { value: l.trim() }));
      });
    });
    return problems;
  }

  /** The same cut as toolbox/text.py shorten_slug: at most `limit` characters, after a whole word. */
  function shortenSlug(slug, limit) {
    if (!limit || slug.length <= limit) return slug;
    var cut = slug.slice(0, limit);
    if (slug.charAt(limit) !== "-" && cut.indexOf("-") !== -1) cut = cut.slice(0, cut.lastIndexOf("-"));
    return cut.replace(/^-+|-+$/g, "");
  }

  /** The file name (without .md): the municipality's slug, then the title's, within the validator's
   *  length (rules.slug_max), never one that is taken. */
  function fileSlug(data, config) {
    var map = config.transliteration, max = (config.rules || {}).slug_max;
    var municipality = slugify(data.meta.municipality || "", map);
    var title = slugify(data.meta.title || "", map);
    var slug = municipality;
    if (title && title !== municipality) {
      slug = title.indexOf(municipality + "-") === 0 ? title : municipality + "-" + title;
    }
    slug = shortenSlug(slug, max);
    var taken = config.existing || [];
    var candidate = slug, n = 2;
    while (taken.indexOf(candidate) !== -1) {
      candidate = shortenSlug(slug, max && max - String(n).length - 1) + "-" + n;
      n++;
    }
    return { slug: candidate, taken: candidate !== slug ? slug : null };
  }

  /** The Markdown file: front matter in model order, every text quoted, then the body sections. */
  function toMarkdown(data, config) {
    var out = ["---"];
    config.fields.forEach(function (f) {
      var v = data.meta[f.name];
      if (f.kind === "line" || f.kind === "term") {
        if (v) out.push(f.name + ": " + yamlString(v));
      } else if (f.kind === "text") {
        if (v) out.push(f.name + ": " + yamlString(v));
      } else if (f.kind === "year") {
        if (v) out.push(f.name + ": " + parseInt(v, 10));
      } else if (f.kind === "terms" || f.kind === "slugs" || f.kind === "lines" || f.kind === "tags") {
        if (!v.length && !f.required) return;
        out.push(f.name + ":");
        v.forEach(function (item) { out.push("  - " + yamlString(item)); });
      } else if (f.kind === "source") {
        out.push(f.name + ":");
        f.parts.forEach(function (p) {
          if (v[p.name]) out.push("  " + p.name + ": " + yamlString(v[p.name]));
        });
      }
    });
    out.push("---");
    data.sections.forEach(function (s) {
      if (!s.text) return;
      out.push("", "## " + s.title, "", s.text);
    });
    return out.join("\n") + "\n";
  }

  // -------------------------------------------------------------------------------------------
  // Preview: the page as a reader will see it, built from text nodes only

  function inline(text) {
    return text.replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/(\*\*|__)(.+?)\1/g, "$2")
      .replace(/`([^`]+)`/g, "$1").replace(/<[^>]*>/g, "");
  }

  var LIST_ITEM = /^\s*([-*+]|\d+[.)])\s+(.*)$/;

  /** A small Markdown subset: paragraphs, lists, ### headings and code blocks, as elements. */
  function renderMarkdown(parent, text) {
    var lines = text.split("\n");
    var para = null, list = null, item = null, code = null;
    function close() { para = null; list = null; item = null; }
    lines.forEach(function (line) {
      if (code) {
        if (FENCE.test(line)) { code = null; return; }
        code.textContent += (code.textContent ? "\n" : "") + line;
        return;
      }
      if (FENCE.test(line)) {
        close();
        var pre = el("pre");
        code = el("code");
        pre.appendChild(code);
        parent.appendChild(pre);
        return;
      }
      if (!line.trim()) { close(); return; }
      var heading = /^#{3,6}\s+(.*)$/.exec(line);
      if (heading) { close(); parent.appendChild(el("h5", null, inline(heading[1]))); return; }
      var m = LIST_ITEM.exec(line);
      if (m) {
        var ordered = /\d/.test(m[1]);
        if (!list || (list.tagName === "OL") !== ordered) {
          para = null;
          list = el(ordered ? "ol" : "ul");
          parent.appendChild(list);
        }
        item = el("li", null, inline(m[2]));
        list.appendChild(item);
        return;
      }
      if (item) { item.textContent += " " + inline(line.trim()); return; }
      if (!para) { para = el("p"); parent.appendChild(para); para.textContent = inline(line.trim()); return; }
      para.textContent += " " + inline(line.trim());
    });
  }

  function listOf(items) {
    var ul = el("ul");
    items.forEach(function (i) { ul.appendChild(el("li", null, i)); });
    return ul;
  }

  function renderPreview(target, data, config) {
    var msg = config.messages;
    var fields = {};
    config.fields.forEach(function (f) { fields[f.name] = f; });
    var m = data.meta;
    var page = document.createDocumentFragment();
    if (m.tags && m.tags.length) {
      var tags = el("p", "vk-cf-pv-tags");
      tags.appendChild(el("span", "vk-cf-sr", msg.preview_tags + ": "));
      m.tags.forEach(function (t) { tags.appendChild(el("span", "vk-cf-pv-tag", t)); });
      page.appendChild(tags);
    }
    page.appendChild(el("h3", "vk-cf-pv-title" + (m.title ? "" : " vk-muted"), m.title || msg.missing_title));
    page.appendChild(el("p", "vk-lead" + (m.description ? "" : " vk-muted"), m.description || msg.missing_description));
    var facts = el("dl", "vk-facts");
    facts.setAttribute("aria-label", msg.preview_facts);
    function fact(label, value) {
      if (!value || (value.length !== undefined && !value.length)) return;
      var row = el("div");
      row.appendChild(el("dt", null, label));
      var dd = el("dd");
      if (typeof value === "string") dd.textContent = value; else dd.appendChild(value);
      row.appendChild(dd);
      facts.appendChild(row);
    }
    if (m.municipality && fields.municipality) fact(fields.municipality.label, choiceLabel(fields.municipality, m.municipality));
    if (fields.year) fact(fields.year.label, m.year);
    if (fields.approach && m.approach) fact(fields.approach.label, choiceLabel(fields.approach, m.approach));
    if (fields.areas) fact(fields.areas.label, (m.areas || []).map(function (v) { return choiceLabel(fields.areas, v); }).join(", "));
    if (fields.roles && m.roles && m.roles.length) fact(fields.roles.label, listOf(m.roles));
    if (fields.contact) fact(fields.contact.label, m.contact);
    if (facts.childNodes.length) page.appendChild(facts);
    data.sections.forEach(function (s) {
      if (!s.text && !s.required) return;
      page.appendChild(el("h4", null, s.title));
      if (s.text) renderMarkdown(page, s.text);
      else page.appendChild(el("p", "vk-muted", msg.missing_section));
    });
    if (m.results && m.results.length) {
      page.appendChild(el("h4", null, msg.preview_results));
      page.appendChild(listOf(m.results));
    }
    if (m.methods && m.methods.length && fields.methods) {
      page.appendChild(el("h4", null, msg.preview_methods));
      page.appendChild(listOf(m.methods.map(function (v) { return choiceLabel(fields.methods, v); })));
    }
    var src = m.source || {};
    if (src.organisation || src.document) {
      page.appendChild(el("h4", null, msg.preview_source));
      var p = el("p", null, [src.organisation, src.document].filter(Boolean).join(": "));
      if (src.url) p.appendChild(el("span", "vk-muted vk-cf-pv-url", " (" + src.url + ")"));
      page.appendChild(p);
    }
    while (target.firstChild) target.removeChild(target.firstChild);
    target.appendChild(page);
  }

  // -------------------------------------------------------------------------------------------
  // The draft in localStorage

  function storage() {
    try {
      var s = window.localStorage;
      var probe = STORAGE_KEY + ":probe";
      s.setItem(probe, "1");
      s.removeItem(probe);
      return s;
    } catch (e) {
      return null;
    }
  }

  function snapshot(form) {
    var values = {};
    var empty = true;
    Array.prototype.forEach.call(form.elements, function (c) {
      if (!c.name) return;
      if (c.type === "checkbox") {
        values[c.name] = values[c.name] || [];
        if (c.checked) { values[c.name].push(c.value); empty = false; }
      } else if (c.value !== undefined) {
        values[c.name] = c.value;
        if (c.value.trim()) empty = false;
      }
    });
    return empty ? null : values;
  }

  function restore(form, values) {
    Array.prototype.forEach.call(form.elements, function (c) {
      if (!c.name || !Object.prototype.hasOwnProperty.call(values, c.name)) return;
      var v = values[c.name];
      if (c.type === "checkbox") c.checked = Array.isArray(v) && v.indexOf(c.value) !== -1;
      else if (typeof v === "string") c.value = v;
    });
  }

  function when(iso, withDate) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return "";
    try {
      var time = d.toLocaleTimeString("da-DK", { hour: "2-digit", minute: "2-digit" });
      if (!withDate) return time;
      return d.toLocaleDateString("da-DK", { day: "numeric", month: "long" }) + " kl. " + time;
    } catch (e) {
      return d.toISOString().slice(0, 16).replace("T", " ");
    }
  }

  // -------------------------------------------------------------------------------------------
  // The page

  function attach(root, config) {
    var msg = config.messages;
    var rules = makeRules(config);
    var app = root.querySelector(".vk-cf-app");
    var form = root.querySelector(".vk-cf-form");
    var live = root.querySelector(".vk-cf-live");
    var saved = root.querySelector(".vk-cf-saved");
    var summary = root.querySelector(".vk-cf-summary");
    var preview = root.querySelector(".vk-cf-preview-page");
    var output = root.querySelector(".vk-cf-output");
    var file = root.querySelector(".vk-cf-file");
    var filename = root.querySelector(".vk-cf-filename");
    var github = root.querySelector(".vk-cf-github");
    var longNote = root.querySelector(".vk-cf-long");
    var mail = root.querySelector(".vk-cf-mail");  // only when mkdocs.yml names the editors
    var store = storage();
    var showErrors = false;
    var current = null;  // { name, text } of the file shown

    // Each slot: the wrapper with a label, an error message and the controls it is about.
    var slots = {};
    Array.prototype.forEach.call(root.querySelectorAll("[data-slot]"), function (wrap) {
      var controls = Array.prototype.slice.call(wrap.querySelectorAll("input, select, textarea"));
      var described = wrap.tagName === "FIELDSET" ? [wrap] : controls;
      described.forEach(function (c) { c.setAttribute("data-vk-describedby", c.getAttribute("aria-describedby") || ""); });
      slots[wrap.getAttribute("data-slot")] = {
        wrap: wrap, error: wrap.querySelector(".vk-cf-error"), controls: controls, described: described,
        label: wrap.getAttribute("data-label")
      };
    });

    function say(text) {
      live.textContent = "";
      window.setTimeout(function () { live.textContent = text; }, 50);
    }

    function showProblems(problems, focus) {
      var bySlot = {};
      problems.forEach(function (p) { (bySlot[p.slot] = bySlot[p.slot] || []).push(p.message); });
      Object.keys(slots).forEach(function (key) {
        var s = slots[key];
        var messages = bySlot[key];
        while (s.error.firstChild) s.error.removeChild(s.error.firstChild);
        s.wrap.classList.toggle("vk-cf-invalid", !!messages);
        s.controls.forEach(function (c) {
          if (messages) c.setAttribute("aria-invalid", "true"); else c.removeAttribute("aria-invalid");
        });
        s.described.forEach(function (c) {
          var base = c.getAttribute("data-vk-describedby");
          var ids = messages ? (s.error.id + (base ? " " + base : "")) : base;
          if (ids) c.setAttribute("aria-describedby", ids); else c.removeAttribute("aria-describedby");
        });
        if (messages) {
          s.error.appendChild(el("span", "vk-cf-sr", msg.error_prefix));
          s.error.appendChild(document.createTextNode(messages.join(" ")));
        }
        s.error.hidden = !messages;
      });
      var list = summary.querySelector("ul");
      while (list.firstChild) list.removeChild(list.firstChild);
      problems.forEach(function (p) {
        var s = slots[p.slot];
        var li = el("li");
        var a = el("a", null, (s && s.label ? s.label + ": " : "") + p.short);
        var target = s && s.controls[0];
        if (target) a.setAttribute("href", "#" + target.id);
        a.setAttribute("data-slot", p.slot);
        li.appendChild(a);
        list.appendChild(li);
      });
      summary.querySelector("h2").textContent = problems.length === 1
        ? msg.summary_one : fmt(msg.summary_title, { n: problems.length });
      summary.hidden = problems.length === 0;
      if (focus && problems.length) {
        summary.focus();
        summary.scrollIntoView({ block: "start" });
      }
    }

    function build(data) {
      var name = fileSlug(data, config);
      var text = toMarkdown(data, config);
      var url = config.new_file_url + "?filename=" + encodeURIComponent(name.slug + ".md") +
        "&value=" + encodeURIComponent(text);
      current = { name: name.slug + ".md", text: text };
      file.value = text;
      filename.textContent = current.name;
      github.setAttribute("href", url);
      if (mail && config.editors) {
        // Subject and a few lines only: the file itself is attached by hand, so the link stays far
        // below what mail programs accept in a mailto: address.
        var title = oneLine(data.meta.title || "").slice(0, 100);
        mail.setAttribute("href", "mailto:" + config.editors.email +
          "?subject=" + encodeURIComponent(fmt(msg.mail_subject, { title: title })) +
          "&body=" + encodeURIComponent(fmt(msg.mail_body, { editors: config.editors.name, title: title, name: current.name })));
      }
      var notes = [];
      if (name.taken) notes.push(fmt(msg.exists, { taken: name.taken + ".md", name: current.name }));
      if (url.length > LONG_URL) notes.push(msg.long_url);
      longNote.textContent = notes.join(" ");
      longNote.hidden = !notes.length;
    }

    function update() {
      var data = collect(form, config);
      renderPreview(preview, data, config);
      if (showErrors || !output.hidden) {
        var problems = check(data, config, rules);
        if (showErrors) showProblems(problems, false);
        if (!output.hidden) {
          if (problems.length) {
            output.hidden = true;
            current = null;
            say(msg.stale);
          } else {
            build(data);
          }
        }
      }
      return data;
    }

    function save() {
      if (!store) return;
      var values = snapshot(form);
      try {
        if (values) {
          var now = new Date().toISOString();
          store.setItem(STORAGE_KEY, JSON.stringify({ v: 1, saved: now, values: values }));
          saved.textContent = fmt(msg.saved, { time: when(now, false) });
        } else {
          store.removeItem(STORAGE_KEY);
          saved.textContent = "";
        }
      } catch (e) {
        saved.textContent = msg.no_storage;
      }
    }

    function changed() {
      update();
      save();
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);

    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var data = collect(form, config);
      var problems = check(data, config, rules);
      showErrors = problems.length > 0;
      showProblems(problems, true);
      if (problems.length) {
        output.hidden = true;
        return;
      }
      build(data);
      output.hidden = false;
      var heading = output.querySelector("h2");
      heading.focus();
      heading.scrollIntoView({ block: "start" });
      say(fmt(msg.ready, { name: current.name }));
    });

    summary.addEventListener("click", function (ev) {
      var a = ev.target.closest ? ev.target.closest("a[data-slot]") : null;
      if (!a) return;
      ev.preventDefault();
      ev.stopPropagation();  // Material's instant navigation would handle the anchor itself
      var s = slots[a.getAttribute("data-slot")];
      if (s && s.controls[0]) {
        s.wrap.scrollIntoView({ block: "center" });
        s.controls[0].focus();
      }
    });

    root.querySelector(".vk-cf-clear").addEventListener("click", function () {
      form.reset();
      if (store) {
        try { store.removeItem(STORAGE_KEY); } catch (e) { /* nothing to delete */ }
      }
      showErrors = false;
      showProblems([], false);
      output.hidden = true;
      current = null;
      saved.textContent = "";
      update();
      say(msg.deleted);
    });

    root.querySelector(".vk-cf-copy").addEventListener("click", function () {
      if (!current) return;
      function fallback() {
        file.focus();
        file.select();
        var ok = false;
        try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
        say(ok ? msg.copied : msg.copy_failed);
      }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(current.text).then(function () { say(msg.copied); }, fallback);
      } else {
        fallback();
      }
    });

    root.querySelector(".vk-cf-download").addEventListener("click", function () {
      if (!current) return;
      var blob = new Blob([current.text], { type: "text/markdown;charset=utf-8" });
      var a = el("a");
      a.href = URL.createObjectURL(blob);
      a.download = current.name;
      a.hidden = true;
      a.addEventListener("click", function (ev) { ev.stopPropagation(); });
      document.body.appendChild(a);
      a.click();
      window.setTimeout(function () {
        URL.revokeObjectURL(a.href);
        if (a.parentNode) a.parentNode.removeChild(a);
      }, 5000);
      say(fmt(msg.downloaded, { name: current.name }));
    });

    // Show the form, bring back the draft, and draw the preview.
    root.querySelector(".vk-cf-nojs").hidden = true;
    app.hidden = false;
    if (!store) {
      saved.textContent = msg.no_storage;
    } else {
      var draft = null;
      try { draft = JSON.parse(store.getItem(STORAGE_KEY) || "null"); } catch (e) { draft = null; }
      if (draft && draft.values && typeof draft.values === "object") {
        restore(form, draft.values);
        say(fmt(msg.restored, { time: when(draft.saved, true) }));
        saved.textContent = fmt(msg.saved, { time: when(draft.saved, false) });
      }
    }
    update();
  }

  /** The form's configuration is a data file next to the site's assets (toolbox/forms.py writes it),
   * named by the form's data-config attribute: no inline script, so nothing for the
   * Content-Security-Policy to refuse, after instant navigation too. */
  function attachAll() {
    var root = document.getElementById("vk-cf");
    if (!root || root.getAttribute("data-ready")) return;
    var href = root.getAttribute("data-config");
    if (!href) return;
    root.setAttribute("data-ready", "loading");
    fetch(href, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (config) {
        if (!config || !config.fields || !document.body.contains(root)) {
          root.removeAttribute("data-ready");
          return;
        }
        root.setAttribute("data-ready", "1");
        attach(root, config);
      })
      .catch(function () { root.removeAttribute("data-ready"); });
  }

  window.vkCaseForm = { slugify: slugify, yamlString: yamlString, toMarkdown: toMarkdown, check: check, makeRules: makeRules,
                        shortenSlug: shortenSlug, fileSlug: fileSlug };
  // The pages that use this script embed it (render.scripts); Material's instant navigation runs it
  // again on each of them, so it attaches to the document it finds, once the document is parsed.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", attachAll);
  else attachAll();
})();
