#include "monitor/check.h"

#include <boost/json.hpp>
#include <boost/url.hpp>
#include <algorithm>
#include <cmath>
#include <memory>
#include <set>

#include "util/text.h"
#include "util/time.h"

namespace jaga::monitor {

namespace json = boost::json;

namespace {

// `location` read against the URL that sent it; empty when it is no URL.
std::string resolve(const std::string& base, const std::string& location) {
  auto b = boost::urls::parse_uri(base);
  auto r = boost::urls::parse_uri_reference(location);
  if (!b || !r) return "";
  boost::urls::url out;
  if (!boost::urls::resolve(*b, *r, out)) return "";
  out.remove_fragment();
  return std::string(out.buffer());
}

// scheme://authority/ of a URL, with another scheme.
std::string origin_with(const std::string& url, std::string_view scheme, std::string_view path) {
  auto u = boost::urls::parse_uri(url);
  if (!u) return "";
  std::string host(u->encoded_host_and_port());
  // The other scheme's default port: an explicit port belongs to the scheme it was given with.
  if (u->has_port() && to_lower_ascii(u->scheme()) != scheme) host = std::string(u->encoded_host_address());
  return std::string(scheme) + "://" + host + std::string(path);
}

bool is_redirect(long status) { return status == 301 || status == 302 || status == 303 || status == 307 || status == 308; }

std::string where_found(bool in_title, bool in_hidden, bool in_links) {
  if (in_hidden) return "in text hidden from visitors";
  if (in_links) return "in links to other sites";
  if (in_title) return "in the page title";
  return "in the page's text";
}

// The whole check's state while its requests are in flight.
struct Pending {
  SiteCheck check;
  CheckOptions options;
  std::function<void(SiteCheck)> done;
  int outstanding = 0;
  std::set<std::string> visited;
  std::optional<bool> http_redirects_to_https;
  std::optional<SecurityTxt> security_txt;
  std::string security_txt_missing = "not fetched";
};

void finish(Pending& p);

void settle(const std::shared_ptr<Pending>& p) {
  if (--p->outstanding == 0) finish(*p);
}

void fetch_page(Prober& prober, const std::shared_ptr<Pending>& p, const std::string& url) {
  p->visited.insert(url);
  Request request{url};
  request.timeout_ms = p->options.timeout_ms;
  request.ca_file = p->options.ca_file;
  prober.add(request, [&prober, p, url](Exchange e) {
    if (e.answered && is_redirect(e.status)) {
      std::string next = resolve(url, e.header("location"));
      p->check.redirects.push_back(url);
      if (next.empty()) {
        e.error = "the redirect to \"" + e.header("location") + "\" is not a URL";
      } else if (p->visited.count(next) || static_cast<int>(p->check.redirects.size()) > p->options.max_redirects) {
        e.error = "redirect loop: " + url + " leads back to " + next;
        e.answered = false;
      } else {
        fetch_page(prober, p, next);
        return;
      }
    }
    p->check.page = std::move(e);
    settle(p);
  });
}

}  // namespace

Result<std::string> check_url(std::string_view text) {
  std::string url(text);
  while (!url.empty() && std::isspace(static_cast<unsigned char>(url.back()))) url.pop_back();
  while (!url.empty() && std::isspace(static_cast<unsigned char>(url.front()))) url.erase(0, 1);
  if (url.empty()) return Error::invalid("the URL is empty");
  if (url.find("://") == std::string::npos) url = "https://" + url;
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return Error::invalid("\"" + std::string(text) + "\" is not a URL");
  std::string scheme = to_lower_ascii(parsed->scheme());
  if (scheme != "http" && scheme != "https")
    return Error::invalid("only http:// and https:// sites can be checked, not " + scheme + "://");
  if (parsed->encoded_host().empty()) return Error::invalid("\"" + std::string(text) + "\" has no host");
  if (parsed->encoded_path().empty()) url += "/";
  return url;
}

std::vector<Finding> analyse_page(const PageContent& content, const TextSketch& sketch, const PageBaseline* baseline,
                                  const SignatureMatcher& signatures, std::optional<double>* similarity_out) {
  std::vector<Finding> findings;
  auto title_matches = signatures.find(content.title);
  auto text_matches = signatures.find(content.text);
  auto hidden_matches = signatures.find(content.hidden_text);
  auto link_matches = signatures.find(content.external_link_text);
  auto in = [](const std::vector<SignatureMatcher::Match>& matches, const Signature& s) {
    return std::any_of(matches.begin(), matches.end(), [&](const auto& m) { return m.signature == &s; });
  };
  for (const auto& s : signatures.signatures()) {
    bool t = in(title_matches, s), x = in(text_matches, s), h = in(hidden_matches, s), l = in(link_matches, s);
    if (!(t || x || h || l)) continue;
    // A defacer's words in hidden text are someone's joke, not a defaced page.
    if (s.kind == SignatureKind::defacement && !(t || x)) continue;
    std::string what = s.kind == SignatureKind::defacement ? "Defacement signature" : "Injected spam";
    std::string message = what + " \"" + s.phrase + "\" " + where_found(t, h, l) + ".";
    if (!s.description.empty()) message += " " + s.description;
    std::string fix = s.kind == SignatureKind::defacement
                          ? "Take the site offline, restore it from a clean copy, and find how the attacker got in."
                          : "Remove the injected content, look for the planted files or database entries, and change "
                            "the site's credentials.";
    findings.push_back({s.id, s.severity, message, fix});
  }
  if (!baseline) return findings;
  // A baseline of keywords alone has no text to compare with.
  double similar = baseline->sketch.hashes.empty() ? 1.0 : similarity(sketch, baseline->sketch);
  if (similarity_out && !baseline->sketch.hashes.empty()) *similarity_out = similar;
  if (similar < baseline->min_similarity) {
    char percent[16];
    std::snprintf(percent, sizeof percent, "%.0f%%", similar * 100);
    findings.push_back({"defacement-content-replaced", "high",
                        std::string("Only ") + percent + " of the page's text is still its baseline's.",
                        "Compare the page with its known-good copy; if it was not changed on purpose, restore it."});
  }
  if (!baseline->title.empty() && content.title != baseline->title)
    findings.push_back({"defacement-title-changed", "medium",
                        "The page title is \"" + content.title + "\", not \"" + baseline->title + "\".",
                        "If the title was not changed on purpose, look for a defacement."});
  std::string text = to_lower_ascii(content.text);
  for (const auto& keyword : baseline->keywords)
    if (text.find(to_lower_ascii(keyword)) == std::string::npos)
      findings.push_back({"defacement-keyword-missing", "medium",
                          "The expected text \"" + keyword + "\" is not on the page.",
                          "If the page was not changed on purpose, look for a defacement."});
  auto new_hosts = [](const std::vector<std::string>& now, const std::vector<std::string>& before) {
    std::vector<std::string> out;
    std::set_difference(now.begin(), now.end(), before.begin(), before.end(), std::back_inserter(out));
    return out;
  };
  for (const auto& host : new_hosts(content.script_hosts, baseline->script_hosts))
    findings.push_back({"content-new-script-host", "high", "The page loads a script from " + host + ", which it never did.",
                        "If nobody added it, remove it: injected scripts skim forms and redirect visitors."});
  for (const auto& host : new_hosts(content.frame_hosts, baseline->frame_hosts))
    findings.push_back({"content-new-frame-host", "high", "The page frames " + host + ", which it never did.",
                        "If nobody added it, remove it."});
  return findings;
}

void start_check(Prober& prober, const std::string& url, CheckOptions given, std::function<void(SiteCheck)> done) {
  auto p = std::make_shared<Pending>();
  p->check.url = url;
  p->check.checked_at = now_rfc3339();
  p->options = std::move(given);
  p->done = std::move(done);
  const CheckOptions& options = p->options;
  bool https = to_lower_ascii(url.substr(0, 6)) == "https:";
  // The page (with its redirects), plain HTTP's redirect, HTTPS itself,
  // security.txt, old TLS, and each address family: all at once.
  p->outstanding = 1;
  fetch_page(prober, p, url);

  if (!options.extras && options.previous_extras) {
    SiteExtras& known = *p->options.previous_extras;
    p->check.https_available = known.https_available;
    p->check.legacy_tls_accepted = known.legacy_tls_accepted;
    p->check.addresses = std::move(known.addresses);
    p->http_redirects_to_https = known.http_redirects_to_https;
    p->security_txt = std::move(known.security_txt);
    p->security_txt_missing = std::move(known.security_txt_missing);
    return;
  }
  auto side = [&](Request request, std::function<void(Pending&, Exchange&)> read) {
    request.timeout_ms = options.timeout_ms;
    request.ca_file = options.ca_file;
    ++p->outstanding;
    prober.add(std::move(request), [p, read = std::move(read)](Exchange e) {
      read(*p, e);
      settle(p);
    });
  };
  std::string https_root = origin_with(url, "https", "/");
  if (https) {
    p->check.https_available = true;  // settled by the page itself in finish()
    Request legacy{https_root};
    legacy.legacy_tls_only = true;
    side(legacy, [](Pending& p, Exchange& e) { p.check.legacy_tls_accepted = e.answered; });
  } else {
    side(Request{https_root}, [](Pending& p, Exchange& e) { p.check.https_available = e.answered; });
  }
  side(Request{origin_with(url, "http", "/")}, [](Pending& p, Exchange& e) {
    if (!e.answered) return;
    std::string location = to_lower_ascii(e.header("location"));
    p.http_redirects_to_https = is_redirect(e.status) && location.rfind("https://", 0) == 0;
  });
  Request security_txt{origin_with(url, "https", "/.well-known/security.txt")};
  security_txt.max_body = 64 * 1024;
  side(security_txt, [](Pending& p, Exchange& e) {
    if (!e.answered) {
      p.security_txt_missing = "HTTPS did not answer: " + e.error;
    } else if (e.status != 200) {
      p.security_txt_missing = "the server answered " + std::to_string(e.status);
    } else if (to_lower_ascii(e.header("content-type")).rfind("text/plain", 0) != 0) {
      p.security_txt_missing = "it is served as \"" + e.header("content-type") + "\", not text/plain";
    } else {
      p.security_txt = read_security_txt(e.body, unix_seconds());
    }
  });
  if (options.check_address_families) {
    // An address in the URL has its own family only.
    std::string host = url_host(url);
    bool v4_literal = !host.empty() && host.find_first_not_of("0123456789.") == std::string::npos;
    bool v6_literal = !host.empty() && host.front() == '[';
    for (auto family : {Request::Family::ipv4, Request::Family::ipv6}) {
      if ((family == Request::Family::ipv4 && v6_literal) || (family == Request::Family::ipv6 && v4_literal)) continue;
      Request r{url};
      r.family = family;
      r.max_body = 1;  // the answer is enough
      side(r, [family](Pending& p, Exchange& e) {
        // A name without addresses of this family is not a failure of it.
        if (!e.answered && e.ip.empty() && e.error.find("resolve") != std::string::npos) return;
        AddressCheck a{family == Request::Family::ipv4 ? "ipv4" : "ipv6", e.ip, e.answered && e.status < 500,
                       e.status, e.timings.total, e.error};
        p.check.addresses.push_back(std::move(a));
      });
    }
  }
}

namespace {

void finish(Pending& p) {
  SiteCheck& c = p.check;
  Exchange& page = c.page;
  c.final_url = page.url;
  c.status = page.status;
  c.up = page.answered && page.status >= 200 && page.status < 400;
  c.error = page.error;
  if (to_lower_ascii(c.final_url.substr(0, 6)) == "https:" && page.answered) c.https_available = true;
  else if (to_lower_ascii(c.url.substr(0, 6)) == "https:" && !page.answered) c.https_available = false;
  std::sort(c.addresses.begin(), c.addresses.end(), [](const auto& a, const auto& b) { return a.family < b.family; });

  if (!page.answered && c.legacy_tls_accepted) {
    // The handshake failed at TLS 1.2 and newer but completes at 1.0 or 1.1.
    c.findings.push_back({"tls-legacy-only", "critical",
                          "The server offers only TLS 1.0 or 1.1, which browsers no longer accept.",
                          "Enable TLS 1.2 and 1.3 and switch off 1.0 and 1.1 (nginx: ssl_protocols TLSv1.2 TLSv1.3;)."});
  }
  if (!c.up) {
    std::string why = page.answered ? "The site answered " + std::to_string(page.status) + "."
                                    : "The site did not answer: " + page.error + ".";
    bool loop = page.error.rfind("redirect loop", 0) == 0;
    c.findings.push_back({loop ? "availability-redirect-loop" : "availability-down", "critical", why,
                          loop ? "Correct the redirects so that they end at a page." : ""});
  }
  for (const auto& a : c.addresses)
    if (!a.up && c.up)
      c.findings.push_back({"availability-" + a.family + "-down", "high",
                            "The site does not answer over " + a.family + (a.ip.empty() ? "" : " (" + a.ip + ")") +
                                (a.error.empty() ? "" : ": " + a.error) + ".",
                            "Check the " + a.family + " address in DNS and the server listening on it."});
  const Certificate& cert = page.certificate;
  bool certificate_finding = false;
  if (cert.present) {
    if (cert.days_left && *cert.days_left < 0) {
      c.findings.push_back({"certificate-expired", "critical", "The certificate expired on " + cert.not_after + ".",
                            "Renew the certificate now (and automate renewal, e.g. with ACME)."});
      certificate_finding = true;
    } else if (!cert.valid) {
      c.findings.push_back({"certificate-invalid", "high", "The certificate is not valid: " + cert.error + ".",
                            "Install a certificate for this name from a trusted authority, with its chain."});
      certificate_finding = true;
    } else if (cert.days_left && *cert.days_left <= p.options.certificate_warn_days) {
      bool alarm = *cert.days_left <= p.options.certificate_alarm_days;
      c.findings.push_back({"certificate-expiring", alarm ? "high" : "medium",
                            "The certificate expires in " + std::to_string(*cert.days_left) + " days (" + cert.not_after +
                                ").",
                            "Renew the certificate (and automate renewal, e.g. with ACME)."});
    }
  }
  if (page.answered) {
    uint64_t body_hash = std::hash<std::string_view>{}(page.body) ^ (page.body.size() * 0x9e3779b97f4a7c15ull);
    auto& previous = p.options.previous_analysis;
    if (previous && previous->body_hash == body_hash) {
      c.analysis = std::move(*previous);
    } else {
      c.analysis.body_hash = body_hash;
      c.analysis.content = read_page(page.body, page.url);
      c.analysis.sketch = sketch_text(c.analysis.content.text);
      static const SignatureMatcher shipped(shipped_signatures());
      const SignatureMatcher& signatures = p.options.signatures ? *p.options.signatures : shipped;
      const PageBaseline* baseline = p.options.baseline.get();
      c.analysis.findings =
          analyse_page(c.analysis.content, c.analysis.sketch, baseline, signatures, &c.analysis.similarity);
    }
    c.findings.insert(c.findings.end(), c.analysis.findings.begin(), c.analysis.findings.end());

    BaselineInput input;
    input.page = &page;
    input.https_available = c.https_available;
    input.http_redirects_to_https = p.http_redirects_to_https;
    input.legacy_tls_accepted = c.legacy_tls_accepted;
    input.security_txt = p.security_txt ? &*p.security_txt : nullptr;
    input.security_txt_missing = p.security_txt_missing;
    c.baseline = evaluate_baseline(input, *p.options.rules);
    c.score = c.baseline.score;
    for (const auto& f : c.baseline.findings)
      if (!(certificate_finding && f.id == "baseline-certificate")) c.findings.push_back(f);
  }
  c.extras = SiteExtras{c.https_available, c.legacy_tls_accepted, p.http_redirects_to_https, std::move(p.security_txt),
                        std::move(p.security_txt_missing), c.addresses};
  // The worst first; within a severity, in the order found.
  auto rank = [](const std::string& severity) {
    for (int i = 0; const char* name : {"critical", "high", "medium", "low", "info"}) {
      if (severity == name) return i;
      ++i;
    }
    return 5;
  };
  std::stable_sort(c.findings.begin(), c.findings.end(),
                   [&](const Finding& a, const Finding& b) { return rank(a.severity) < rank(b.severity); });
  auto done = std::move(p.done);
  done(std::move(c));
}

json::object finding_json(const Finding& f) {
  json::object o{{"id", f.id}, {"severity", f.severity}, {"message", f.message}};
  if (!f.fix.empty()) o["fix"] = f.fix;
  return o;
}

double round1(double v) { return std::round(v * 10) / 10; }

}  // namespace

uint64_t findings_digest(const std::vector<Finding>& findings) {
  uint64_t digest = 0x6a09e667f3bcc908ull ^ findings.size();
  std::hash<std::string_view> hash;
  for (const auto& f : findings)
    for (std::string_view part : {std::string_view(f.id), std::string_view(f.severity), std::string_view(f.message),
                                  std::string_view(f.fix)})
      digest = (digest ^ hash(part)) * 0x9e3779b97f4a7c15ull + part.size();
  return digest;
}

std::string findings_json(const std::vector<Finding>& findings) {
  json::array out;
  for (const auto& f : findings) out.push_back(finding_json(f));
  return json::serialize(out);
}

std::string check_json(const SiteCheck& c) {
  json::object o;
  o["url"] = c.url;
  o["final_url"] = c.final_url;
  o["up"] = c.up;
  o["status"] = c.status;
  if (!c.error.empty()) o["error"] = c.error;
  o["checked_at"] = c.checked_at;
  json::array redirects;
  for (const auto& r : c.redirects) redirects.push_back(json::value(r));
  o["redirects"] = std::move(redirects);
  const Timings& t = c.page.timings;
  o["timings_ms"] = {{"dns", round1(t.dns)},           {"connect", round1(t.connect)}, {"tls", round1(t.tls)},
                     {"first_byte", round1(t.first_byte)}, {"total", round1(t.total)}};
  o["ip"] = c.page.ip;
  json::array addresses;
  for (const auto& a : c.addresses) {
    json::object x{{"family", a.family}, {"ip", a.ip}, {"up", a.up}, {"status", a.status}, {"total_ms", round1(a.total_ms)}};
    if (!a.error.empty()) x["error"] = a.error;
    addresses.push_back(std::move(x));
  }
  o["addresses"] = std::move(addresses);
  const Certificate& cert = c.page.certificate;
  if (cert.present) {
    json::object x{{"valid", cert.valid}, {"subject", cert.subject}, {"issuer", cert.issuer}, {"not_after", cert.not_after}};
    if (cert.days_left) x["days_left"] = *cert.days_left;
    if (!cert.error.empty()) x["error"] = cert.error;
    o["certificate"] = std::move(x);
  } else {
    o["certificate"] = nullptr;
  }
  o["tls"] = {{"version", c.page.tls_version}, {"cipher", c.page.cipher}, {"legacy_accepted", c.legacy_tls_accepted}};
  o["https_available"] = c.https_available;
  json::object content{{"title", c.analysis.content.title}, {"text_bytes", c.analysis.content.text.size()}};
  if (c.analysis.similarity) content["similarity"] = round1(*c.analysis.similarity * 100) / 100;
  json::array scripts, frames;
  for (const auto& h : c.analysis.content.script_hosts) scripts.push_back(json::value(h));
  for (const auto& h : c.analysis.content.frame_hosts) frames.push_back(json::value(h));
  content["script_hosts"] = std::move(scripts);
  content["frame_hosts"] = std::move(frames);
  o["content"] = std::move(content);
  json::array findings;
  for (const auto& f : c.findings) findings.push_back(finding_json(f));
  o["findings"] = std::move(findings);
  json::array rules;
  for (const auto& r : c.baseline.rules)
    rules.push_back(json::object{{"id", r.id}, {"title", r.title}, {"weight", r.weight}, {"passed", r.passed}});
  o["baseline"] = std::move(rules);
  o["score"] = c.score;
  return json::serialize(o);
}

std::string check_text(const SiteCheck& c) {
  std::string out;
  auto line = [&](const std::string& text) { out += text + "\n"; };
  char buffer[256];
  line(c.url + (c.final_url != c.url && !c.final_url.empty() ? "  ->  " + c.final_url : ""));
  if (c.up) {
    std::snprintf(buffer, sizeof buffer, "  UP      %ld in %.0f ms (dns %.1f, connect %.1f, tls %.1f, first byte %.1f ms)",
                  c.status, c.page.timings.total, c.page.timings.dns, c.page.timings.connect, c.page.timings.tls,
                  c.page.timings.first_byte);
    line(buffer);
  } else {
    line("  DOWN    " + (c.page.answered ? std::to_string(c.status) : c.error));
  }
  for (const auto& r : c.redirects) line("  via     " + r);
  for (const auto& a : c.addresses)
    line("  " + a.family + "    " + (a.up ? "up   " : "DOWN ") + a.ip + (a.error.empty() ? "" : "  " + a.error));
  const Certificate& cert = c.page.certificate;
  if (cert.present) {
    std::string days = cert.days_left ? std::to_string(*cert.days_left) + " days left" : "expiry unknown";
    line("  cert    " + std::string(cert.valid ? "valid" : "NOT VALID (" + cert.error + ")") + ", " + days + ", issuer " +
         cert.issuer);
    line("  tls     " + c.page.tls_version + " " + c.page.cipher +
         (c.legacy_tls_accepted ? ", TLS 1.0/1.1 STILL ACCEPTED" : ""));
  }
  if (!c.analysis.content.title.empty()) line("  title   " + c.analysis.content.title);
  if (c.analysis.similarity) {
    std::snprintf(buffer, sizeof buffer, "  content %.0f%% like its baseline", *c.analysis.similarity * 100);
    line(buffer);
  }
  line("  score   " + std::to_string(c.score) + "/100 on the web-security baseline");
  if (c.findings.empty()) {
    line("  no findings");
  } else {
    line("");
    line("Findings:");
    for (const auto& f : c.findings) {
      std::string severity = f.severity;
      for (char& ch : severity) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      line("  [" + severity + "] " + f.id + ": " + f.message);
      if (!f.fix.empty()) line("      fix: " + f.fix);
    }
  }
  return out;
}

}  // namespace jaga::monitor
